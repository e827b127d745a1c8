package org.cardrenew.server.audit;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.H2Memory;

/** Audit tampering on embedded H2 (no database-side guard there: the chain and checkpoints are the defence). */
class AuditTamperOnH2Test extends AuditTamperContract {

    @Override
    protected DataSource dataSource() {
        return H2Memory.fresh("audit");
    }

    @Override
    protected void tamper(String... statements) {
        for (String sql : statements) {
            jdbc.sql(sql).update();
        }
    }
}
