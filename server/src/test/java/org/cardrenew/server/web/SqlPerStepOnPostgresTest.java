package org.cardrenew.server.web;

import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The statements per step on PostgreSQL, in a schema of its own. */
class SqlPerStepOnPostgresTest extends SqlPerStepContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry);
    }

    @Override
    protected boolean onPostgres() {
        return true;
    }
}
