package org.cardrenew.server.store;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.H2Memory;

/** {@link InsertsAtCommit} on embedded H2: the inserts run one by one just before the commit. */
class InsertsAtCommitOnH2Test extends InsertsAtCommitContract {

    @Override
    protected DataSource dataSource() {
        return H2Memory.fresh("commit");
    }
}
