package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Signing certificates bound to console users (officer smart-card sign-in, issue 7). */
@Repository
public class ConsoleCardRepository {

    private final JdbcClient jdbc;

    public ConsoleCardRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Binds; a serial already bound fails with DuplicateKeyException, an unknown user with a FK violation. */
    public void bind(String certificateSerial, String userName, Instant at) {
        jdbc.sql("INSERT INTO console_card (certificate_serial, user_name, created_at) VALUES (?, ?, ?)")
                .params(certificateSerial, userName, Timestamps.of(at)).update();
    }

    public Optional<String> userOf(String certificateSerial) {
        return jdbc.sql("SELECT user_name FROM console_card WHERE certificate_serial = ?").param(certificateSerial)
                .query(String.class).optional();
    }
}
