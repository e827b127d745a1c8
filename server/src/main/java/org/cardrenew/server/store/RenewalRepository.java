package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cardrenew.protocol.RenewalState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Persisted renewals; see docs/RENEWAL-CYCLE.md for the states. */
@Repository
public class RenewalRepository {

    private final JdbcClient jdbc;

    public RenewalRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the pair's renewal slot in state REQUESTED, with the commit of the transaction in progress ({@link
     * WritesAtCommit}; at once outside one). The commit (or the write) fails, storing nothing of the transaction, when
     * a key was used before ({@link WritesAtCommit.GuardedWrite#refused} is then true) or when the pair already has
     * a renewal (a {@link org.springframework.dao.DuplicateKeyException}: UNIQUE old_pair_id). Nothing is ever
     * deleted from {@code certificate} or {@code renewal}, so what refused the claim is still there for the caller to
     * name.
     */
    public void claim(Renewal r) {
        List<Object> params = new ArrayList<>(14);
        params.add(r.id().toString());
        params.add(r.oldPair().value());
        params.addAll(keyParameters(r.signingKeyHash(), r.encryptionKeyHash(), r.oldPair()));
        params.addAll(List.of(
                r.signingKeyHash().hex(),
                r.encryptionKeyHash().hex(),
                r.signingKey().bytes(),
                r.encryptionKey().bytes(),
                Timestamps.of(r.requestedAt())));
        WritesAtCommit.write(CLAIM.with(params), jdbc);
    }

    public Optional<Renewal> find(RenewalId id) {
        return jdbc.sql("SELECT * FROM renewal WHERE id = ?")
                .param(id.toString())
                .query(this::map)
                .optional();
    }

    public Optional<Renewal> findByOldPair(PairId pair) {
        return jdbc.sql("SELECT * FROM renewal WHERE old_pair_id = ?")
                .param(pair.value())
                .query(this::map)
                .optional();
    }

    /** Reads the renewal and locks its row until the transaction ends: one issuer at a time. */
    public Optional<Renewal> lock(RenewalId id) {
        return jdbc.sql("SELECT * FROM renewal WHERE id = ? FOR UPDATE")
                .param(id.toString())
                .query(this::map)
                .optional();
    }

    /** Whether another pair's renewal already claims this key as one of its new keys. */
    public boolean keyClaimedByOtherPair(KeyHash key, PairId pair) {
        return jdbc.sql("SELECT COUNT(*) FROM renewal WHERE (signing_key_sha256 = ? OR encryption_key_sha256 = ?) "
                                + "AND old_pair_id <> ?")
                        .params(key.hex(), key.hex(), pair.value())
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * The rule "never certify a key twice" for a renewal's two keys, in SQL: neither key was certified by this CA, and
     * no renewal of another pair claims either. Seven parameters ({@link #keyParameters}); used by {@link
     * #eitherKeyUsedBefore} and by the claim ({@link #CLAIM}).
     */
    private static final String NEITHER_KEY_USED_BEFORE = """
            NOT EXISTS (SELECT 1 FROM certificate WHERE spki_sha256 IN (?, ?))
            AND NOT EXISTS (SELECT 1 FROM renewal
                            WHERE (signing_key_sha256 IN (?, ?) OR encryption_key_sha256 IN (?, ?)) AND old_pair_id <> ?)""";

    /**
     * The claim of a pair's renewal slot: the renewal in state REQUESTED if neither new key was used before (the
     * condition of {@link #eitherKeyUsedBefore}, in the same statement). When a key was, the state is NULL and the
     * statement fails: a {@link WritesAtCommit.GuardedWrite}, so that the claim can go with the COMMIT and the
     * intent's record queued after it needs no condition of its own (issue 14: on PostgreSQL the claim, its record
     * and the COMMIT in one round trip).
     */
    private static final WritesAtCommit.GuardedWrite CLAIM =
            new WritesAtCommit.GuardedWrite("""
            INSERT INTO renewal (id, old_pair_id, state, signing_key_sha256, encryption_key_sha256,
                                 signing_key, encryption_key, requested_at)
            SELECT ?, ?, CASE WHEN\s""" + NEITHER_KEY_USED_BEFORE + " THEN 'REQUESTED' END, ?, ?, ?, ?, ?");

    private static List<Object> keyParameters(KeyHash first, KeyHash second, PairId pair) {
        return List.of(first.hex(), second.hex(), first.hex(), second.hex(), first.hex(), second.hex(), pair.value());
    }

    /**
     * Whether this CA ever certified either key, or another pair's renewal claims either: {@link
     * CertificateRepository#keyCertified} and {@link #keyClaimedByOtherPair} for two keys in one round trip.
     */
    public boolean eitherKeyUsedBefore(KeyHash first, KeyHash second, PairId pair) {
        return jdbc.sql("SELECT CASE WHEN " + NEITHER_KEY_USED_BEFORE + " THEN 0 ELSE 1 END")
                        .params(keyParameters(first, second, pair))
                        .query(Integer.class)
                        .single()
                == 1;
    }

    /** Whether any renewal claims this key as one of its new keys. */
    public boolean keyClaimed(KeyHash key) {
        return jdbc.sql("SELECT COUNT(*) FROM renewal WHERE signing_key_sha256 = ? OR encryption_key_sha256 = ?")
                        .params(key.hex(), key.hex())
                        .query(Long.class)
                        .single()
                > 0;
    }

    /*
     * The statements that move a renewal on name the state it moves from as a parameter, never as a literal. The server
     * keeps one generic plan per statement on PostgreSQL (PostgresPlanCache); with a literal, that plan takes the
     * state's estimate from the statistics, where REQUESTED and ISSUED are rare, and scans renewal_state_issued through
     * every renewal in that state instead of reading the one row by its id: with 2,000 renewals awaiting
     * confirmation, about 1,760 buffers and 0.8–1.9 ms per confirmation instead of about 30 buffers and 0.04–0.11 ms
     * (PostgresStoreTest).
     */

    static final String TAKE_OVER = """
            UPDATE renewal SET signing_key_sha256 = ?, encryption_key_sha256 = ?, signing_key = ?, encryption_key = ?,
                               requested_at = ?
            WHERE id = ? AND state = ? AND requested_at < ?""";

    /**
     * ISSUED → COMPLETED, or a failure when the renewal is no longer ISSUED (a {@link WritesAtCommit.GuardedWrite}: the
     * state NULL), so that it can go with the COMMIT and the writes queued after it need no condition of their own.
     * The id is the key of a row that exists: renewals are never deleted.
     */
    static final WritesAtCommit.GuardedWrite MARK_COMPLETED = new WritesAtCommit.GuardedWrite(
            "UPDATE renewal SET state = CASE WHEN state = ? THEN 'COMPLETED' END, completed_at = ? WHERE id = ?");

    static final String MARK_EXPIRED_UNCONFIRMED =
            "UPDATE renewal SET state = 'EXPIRED_UNCONFIRMED', closed_pair_id = old_pair_id, old_pair_id = NULL, "
                    + "closed_at = ? WHERE id = ? AND state = ?";

    /** The statements that move a renewal on from one state to the next (or to new keys), as they are sent. */
    static final List<String> TRANSITIONS =
            List.of(TAKE_OVER, markIssued("?"), MARK_COMPLETED.sql(), MARK_EXPIRED_UNCONFIRMED);

    /**
     * Gives an abandoned REQUESTED renewal (claimed before {@code claimedBefore}, nothing issued) new keys. Waits for
     * an issuer holding the row lock; false when the renewal was issued or taken over meanwhile.
     */
    public boolean takeOver(
            RenewalId id,
            KeyHash signing,
            KeyHash encryption,
            Der signingKey,
            Der encryptionKey,
            Instant now,
            Instant claimedBefore) {
        return jdbc.sql(TAKE_OVER)
                        .params(
                                signing.hex(),
                                encryption.hex(),
                                signingKey.bytes(),
                                encryptionKey.bytes(),
                                Timestamps.of(now),
                                id.toString(),
                                RenewalState.REQUESTED.name(),
                                Timestamps.of(claimedBefore))
                        .update()
                == 1;
    }

    /**
     * REQUESTED → ISSUED into {@code newPair}, if the renewal is still REQUESTED for {@code requested}'s keys (not taken
     * over by other keys meanwhile). The row stays locked until the transaction ends: a concurrent call for the same
     * renewal waits for it, then finds nothing to update.
     */
    public boolean markIssued(Renewal requested, PairId newPair, Instant at) {
        List<Object> params = new ArrayList<>(6);
        params.add(newPair.value());
        params.addAll(markIssuedParameters(requested, at));
        return jdbc.sql(markIssued("?")).params(params).update() == 1;
    }

    /** {@link #markIssued}'s statement, the new pair's id given by {@code newPairId} (a parameter or an expression). */
    static String markIssued(String newPairId) {
        return "UPDATE renewal SET state = 'ISSUED', new_pair_id = " + newPairId + ", issued_at = ? "
                + "WHERE id = ? AND state = ? AND signing_key_sha256 = ? AND encryption_key_sha256 = ?";
    }

    /** The parameters of {@link #markIssued(String)} after the new pair's id. */
    static List<Object> markIssuedParameters(Renewal requested, Instant at) {
        return List.of(
                Timestamps.of(at),
                requested.id().toString(),
                RenewalState.REQUESTED.name(),
                requested.signingKeyHash().hex(),
                requested.encryptionKeyHash().hex());
    }

    /**
     * ISSUED → COMPLETED with the commit of the transaction in progress ({@link WritesAtCommit}; at once outside one).
     * The commit (or the write) fails, storing nothing of the transaction, when the renewal is no longer ISSUED
     * (confirmed or closed meanwhile): {@link WritesAtCommit.GuardedWrite#refused} is then true. A concurrent
     * transition holding the row makes this wait for it, then fail.
     */
    public void markCompleted(RenewalId id, Instant at) {
        WritesAtCommit.write(
                MARK_COMPLETED.with(List.of(RenewalState.ISSUED.name(), Timestamps.of(at), id.toString())), jdbc);
    }

    /**
     * ISSUED → EXPIRED_UNCONFIRMED: closes a renewal never confirmed and frees its pair's slot (old_pair_id moves to
     * closed_pair_id). False when it was confirmed or closed meanwhile (by another node).
     */
    public boolean markExpiredUnconfirmed(RenewalId id, Instant at) {
        return jdbc.sql(MARK_EXPIRED_UNCONFIRMED)
                        .params(Timestamps.of(at), id.toString(), RenewalState.ISSUED.name())
                        .update()
                == 1;
    }

    /** ISSUED renewals issued before {@code issuedBefore}: due to be closed unconfirmed. */
    public List<RenewalId> issuedBefore(Instant issuedBefore) {
        return jdbc.sql("SELECT id FROM renewal WHERE state = 'ISSUED' AND issued_at < ? ORDER BY issued_at")
                .param(Timestamps.of(issuedBefore))
                .query((rs, n) -> new RenewalId(UUID.fromString(rs.getString(1))))
                .list();
    }

    /** Whether a renewal of this pair that was closed unconfirmed holds either key as one of its new keys. */
    public boolean closedWithEitherKey(PairId pair, KeyHash first, KeyHash second) {
        return jdbc.sql("SELECT COUNT(*) FROM renewal WHERE closed_pair_id = ? "
                                + "AND (signing_key_sha256 IN (?, ?) OR encryption_key_sha256 IN (?, ?))")
                        .params(pair.value(), first.hex(), second.hex(), first.hex(), second.hex())
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The pairs a card held before and after this one: linked by renewals in either direction (any state). */
    public List<PairId> linkedPairs(PairId pair) {
        return jdbc.sql("""
                        SELECT new_pair_id FROM renewal WHERE (old_pair_id = ? OR closed_pair_id = ?) AND new_pair_id IS NOT NULL
                        UNION
                        SELECT COALESCE(old_pair_id, closed_pair_id) FROM renewal WHERE new_pair_id = ?""")
                .params(pair.value(), pair.value(), pair.value())
                .query((rs, n) -> new PairId(rs.getLong(1)))
                .list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM renewal").query(Long.class).single();
    }

    private Renewal map(ResultSet rs, int row) throws SQLException {
        return read(rs, "");
    }

    /** The row's renewal, its columns named {@code prefix + column} ({@link PairSnapshots} joins tables). */
    static Renewal read(ResultSet rs, String prefix) throws SQLException {
        long newPairValue = rs.getLong(prefix + "new_pair_id");
        PairId newPair = rs.wasNull() ? null : new PairId(newPairValue);
        long oldPairValue = rs.getLong(prefix + "old_pair_id");
        // A renewal closed unconfirmed keeps the pair it renewed in closed_pair_id (V12).
        PairId oldPair = new PairId(rs.wasNull() ? rs.getLong(prefix + "closed_pair_id") : oldPairValue);
        return new Renewal(
                new RenewalId(UUID.fromString(rs.getString(prefix + "id"))),
                oldPair,
                RenewalState.valueOf(rs.getString(prefix + "state")),
                new KeyHash(rs.getString(prefix + "signing_key_sha256")),
                new KeyHash(rs.getString(prefix + "encryption_key_sha256")),
                Der.of(rs.getBytes(prefix + "signing_key")),
                Der.of(rs.getBytes(prefix + "encryption_key")),
                newPair,
                Timestamps.read(rs, prefix + "requested_at"),
                Timestamps.read(rs, prefix + "issued_at"),
                Timestamps.read(rs, prefix + "completed_at"));
    }
}
