package org.cardrenew.server.store;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.H2Memory;

/** The store on embedded H2 in PostgreSQL mode, as the server runs by default. */
class H2StoreTest extends StoreContractTest {

    @Override
    protected DataSource dataSource() {
        return H2Memory.fresh("store");
    }
}
