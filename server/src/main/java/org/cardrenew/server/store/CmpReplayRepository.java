package org.cardrenew.server.store;

import java.time.Instant;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** CMP transactionIDs and senderNonces already seen (RFC 4210 §5.1.1), on every node, across restarts. */
@Repository
public class CmpReplayRepository {

    /** What a remembered value is: the two never collide. */
    public enum Kind {
        TRANSACTION,
        SENDER_NONCE
    }

    private final JdbcClient jdbc;

    public CmpReplayRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Remembers the value until the instant; false when it was seen before (the primary key makes this atomic across
     * nodes: of two concurrent first uses exactly one inserts).
     */
    public boolean rememberFirstUse(Kind kind, String valueHex, Instant until) {
        try {
            jdbc.sql("INSERT INTO cmp_replay (kind, value_hex, expires_at) VALUES (?, ?, ?)")
                    .params(kind.name(), valueHex, Timestamps.of(until))
                    .update();
            return true;
        } catch (DuplicateKeyException seen) {
            return false;
        }
    }

    /** Housekeeping: forgets values whose messages would now fail the messageTime check anyway. */
    public int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM cmp_replay WHERE expires_at < ?")
                .param(Timestamps.of(before))
                .update();
    }
}
