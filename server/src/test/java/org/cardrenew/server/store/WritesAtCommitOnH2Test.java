package org.cardrenew.server.store;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.H2Memory;

/** {@link WritesAtCommit} on embedded H2: the inserts run one by one just before the commit. */
class WritesAtCommitOnH2Test extends WritesAtCommitContract {

    @Override
    protected DataSource dataSource() {
        return H2Memory.fresh("commit");
    }
}
