package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One-time challenges. */
@Repository
public class ChallengeRepository {

    private final JdbcClient jdbc;

    public ChallengeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StoredChallenge c) {
        jdbc.sql("INSERT INTO challenge (id, nonce, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(c.id().toString(), c.nonce(), Timestamps.of(c.createdAt()), Timestamps.of(c.expiresAt()))
                .update();
    }

    public Optional<StoredChallenge> find(ChallengeId id) {
        return jdbc.sql("SELECT * FROM challenge WHERE id = ?")
                .param(id.toString())
                .query((rs, n) -> new StoredChallenge(new ChallengeId(UUID.fromString(rs.getString("id"))),
                        rs.getString("nonce"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "expires_at"),
                        Timestamps.read(rs, "used_at")))
                .optional();
    }

    /**
     * Uses the challenge up. The conditional UPDATE is atomic: of two concurrent uses exactly one sees a row count
     * of 1, on every node. Validity is inclusive of expires_at.
     */
    public boolean consume(ChallengeId id, Instant now) {
        return jdbc.sql("UPDATE challenge SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at >= ?")
                .params(Timestamps.of(now), id.toString(), Timestamps.of(now))
                .update() == 1;
    }

    /** Housekeeping: removes challenges that expired before the instant. */
    public int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM challenge WHERE expires_at < ?").param(Timestamps.of(before)).update();
    }
}
