package org.cardrenew.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The same command-line renewals against a server on PostgreSQL (a fresh schema of the test database). */
class CommandLineRenewalOnPostgresTest extends CommandLineRenewalTest {

    @BeforeAll
    static void start() throws Exception {
        startWith(ServerUnderTest.Database.POSTGRESQL);
    }
}
