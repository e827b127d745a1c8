package org.cardrenew.server.revocation;

import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Card revocation and unconfirmed renewals on PostgreSQL, in a schema of its own. */
class CardLifecycleOnPostgresTest extends CardLifecycleContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry);
    }
}
