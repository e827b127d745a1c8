package org.cardrenew.server.store;

import static org.cardrenew.server.store.OptionalParameters.instant;
import static org.cardrenew.server.store.OptionalParameters.text;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Used challenges: the single-use record of each challenge answered, kept until it expires. */
@Repository
public class ChallengeRepository {

    private static final WritesAtCommit.OneRowInsert INSERT_USE = new WritesAtCommit.OneRowInsert("""
            INSERT INTO challenge (id, purpose, nonce, created_at, expires_at, used_at, token_sha256,
                                   certificate_serial, token_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");

    private final JdbcClient jdbc;

    public ChallengeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredChallenge> find(ChallengeId id) {
        return jdbc.sql("SELECT * FROM challenge WHERE id = ?")
                .param(id.toString())
                .query((rs, n) -> new StoredChallenge(
                        new ChallengeId(UUID.fromString(rs.getString("id"))),
                        ChallengePurpose.valueOf(rs.getString("purpose")),
                        rs.getString("nonce"),
                        Timestamps.read(rs, "created_at"),
                        Timestamps.read(rs, "expires_at"),
                        Timestamps.read(rs, "used_at"),
                        rs.getString("token_sha256") == null
                                ? null
                                : new StoredChallenge.RenewalTokenHash(
                                        rs.getString("token_sha256"),
                                        rs.getString("certificate_serial"),
                                        Timestamps.read(rs, "token_expires_at"))))
                .optional();
    }

    /**
     * Records the use of a challenge: one INSERT that fails on the primary key when the challenge was used before, on
     * every node (no ON CONFLICT: the same SQL on H2 and PostgreSQL). Challenges themselves are stateless (the RA's
     * {@code ChallengeService}); this row exists only once one is used, until it expires.
     *
     * <p>In a transaction of the server's transaction manager the INSERT goes with the COMMIT ({@link
     * WritesAtCommit}, issue 14: one round trip less per status check): a replay then fails the commit with a {@link
     * DuplicateKeyException}, and nothing of the transaction stays, its answer included. Outside one it is written at
     * once, and false says the challenge was used before (on PostgreSQL the caller's transaction, if any, is then
     * aborted and must roll back).
     */
    public boolean recordUse(StoredChallenge used) {
        StoredChallenge.RenewalTokenHash token = used.token();
        try {
            WritesAtCommit.write(
                    INSERT_USE.with(Arrays.asList(
                            used.id().toString(),
                            used.purpose().name(),
                            used.nonce(),
                            Timestamps.of(used.createdAt()),
                            Timestamps.of(used.expiresAt()),
                            Timestamps.of(used.usedAt()),
                            text(token == null ? null : token.sha256()),
                            text(token == null ? null : token.certificateSerial()),
                            instant(token == null ? null : token.expiresAt()))),
                    jdbc);
            return true;
        } catch (DuplicateKeyException replay) {
            return false;
        }
    }

    /** Housekeeping: removes used challenges that expired before the instant, with the renewal tokens they carry. */
    public int deleteExpired(Instant before) {
        return jdbc.sql("""
                        DELETE FROM challenge
                        WHERE expires_at < ? AND (token_expires_at IS NULL OR token_expires_at < ?)""")
                .params(Timestamps.of(before), Timestamps.of(before))
                .update();
    }
}
