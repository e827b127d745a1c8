package org.cardrenew.server.store;

import static org.cardrenew.server.store.OptionalParameters.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Card pairs and their lifecycle (ACTIVE → SUPERSEDED or REVOKED). */
@Repository
public class CardPairRepository {

    private static final WritesAtCommit.UncheckedUpdate SUPERSEDE = new WritesAtCommit.UncheckedUpdate(
            "UPDATE card_pair SET status = 'SUPERSEDED', superseded_at = ?, revoke_after = ? "
                    + "WHERE id = ? AND status = 'ACTIVE'");

    private final JdbcClient jdbc;

    public CardPairRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new ACTIVE pair, still without certificates; its id comes from the table's identity. */
    static final String CREATE = "INSERT INTO card_pair (holder_id, status, created_at) VALUES (?, 'ACTIVE', ?)";

    public PairId create(HolderId holder, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(CREATE).params(createParameters(holder, now)).update(keys, "id");
        return new PairId(keys.getKey().longValue());
    }

    /** The parameters of {@link #CREATE}. */
    static List<Object> createParameters(HolderId holder, Instant now) {
        return List.of(holder.value(), Timestamps.of(now));
    }

    public Optional<CardPair> find(PairId id) {
        return jdbc.sql("SELECT * FROM card_pair WHERE id = ?")
                .param(id.value())
                .query(this::map)
                .optional();
    }

    /**
     * Marks an ACTIVE pair superseded by its renewal; idempotent (a pair already superseded is left alone, and nothing
     * reads whether this call changed it). In a transaction of the server's manager it goes with the COMMIT
     * ({@link WritesAtCommit}: one round trip less per confirmation, issue 14), at once otherwise.
     *
     * @param revokeAfter when the old pair is due for revocation, or null when revocation after renewal is off
     */
    public void supersede(PairId id, Instant at, Instant revokeAfter) {
        WritesAtCommit.write(SUPERSEDE.with(Arrays.asList(instant(at), instant(revokeAfter), id.value())), jdbc);
    }

    /** Marks the pair revoked; false when it already was (another node got there first). */
    public boolean markRevoked(PairId id) {
        return jdbc.sql("UPDATE card_pair SET status = 'REVOKED' WHERE id = ? AND status <> 'REVOKED'")
                        .param(id.value())
                        .update()
                == 1;
    }

    /**
     * An ACTIVE pair one of whose certificates an administrator revoked: the card can no longer renew (the holder
     * needs a new card), so it is no longer current either — no reminders. False when the pair was not ACTIVE.
     */
    public boolean revokeActive(PairId id) {
        return jdbc.sql("UPDATE card_pair SET status = 'REVOKED' WHERE id = ? AND status = 'ACTIVE'")
                        .param(id.value())
                        .update()
                == 1;
    }

    /** Superseded pairs whose revocation grace period (cardrenew.renewal.revoke-old-after) has passed. */
    public List<PairId> dueForRevocation(Instant now) {
        return jdbc.sql("SELECT id FROM card_pair WHERE status = 'SUPERSEDED' AND revoke_after IS NOT NULL "
                        + "AND revoke_after <= ? ORDER BY id")
                .param(Timestamps.of(now))
                .query((rs, n) -> new PairId(rs.getLong(1)))
                .list();
    }

    private CardPair map(ResultSet rs, int row) throws SQLException {
        return read(rs, "");
    }

    /** The row's pair, its columns named {@code prefix + column} ({@link PairSnapshots} joins tables). */
    static CardPair read(ResultSet rs, String prefix) throws SQLException {
        return new CardPair(
                new PairId(rs.getLong(prefix + "id")),
                new HolderId(rs.getString(prefix + "holder_id")),
                PairStatus.valueOf(rs.getString(prefix + "status")),
                Timestamps.read(rs, prefix + "created_at"),
                Timestamps.read(rs, prefix + "superseded_at"),
                Timestamps.read(rs, prefix + "revoke_after"));
    }
}
