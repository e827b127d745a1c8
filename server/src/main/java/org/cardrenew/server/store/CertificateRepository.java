package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Every holder certificate this CA issued. */
@Repository
public class CertificateRepository {

    private static final String COLUMNS =
            "id, pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der, revoked_at";

    private final JdbcClient jdbc;

    public CertificateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a certificate; a key certified before violates the UNIQUE spki_sha256 (DuplicateKeyException). */
    public CertificateId insert(PairId pair, NewCertificate c) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO certificate (pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""").params(params(pair, c)).update(keys, "id");
        return new CertificateId(keys.getKey().longValue());
    }

    /**
     * Stores both certificates of a pair in one statement (one round trip, issue 14), the signing one first; returns
     * their ids in that order. A key certified before violates the UNIQUE spki_sha256 (DuplicateKeyException) and
     * neither row is stored.
     */
    public List<CertificateId> insertPair(PairId pair, NewCertificate signing, NewCertificate encryption) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO certificate (pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(params(pair, signing))
                .params(params(pair, encryption))
                .update(keys, "id", "kind");
        // The generated keys come back one row per inserted row; told apart by kind, whatever order they come in.
        Map<CertificateKind, CertificateId> ids = new EnumMap<>(CertificateKind.class);
        for (Map<String, Object> row : keys.getKeyList()) {
            ids.put(
                    CertificateKind.valueOf(row.get("kind").toString()),
                    new CertificateId(((Number) row.get("id")).longValue()));
        }
        if (ids.size() != 2) {
            throw new IllegalStateException("a pair's insert returned the keys " + keys.getKeyList());
        }
        return List.of(ids.get(signing.kind()), ids.get(encryption.kind()));
    }

    private static final WritesAtCommit.OneRowInsert INSERT_WITH_ID = new WritesAtCommit.OneRowInsert("""
            INSERT INTO certificate (id, pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");

    /**
     * Stores both certificates of a pair under ids taken for them ahead ({@link IssuanceStart}), the signing one
     * first, with the commit of the transaction in progress ({@link WritesAtCommit}; at once outside one): nothing
     * reads them back, so on PostgreSQL they go with the COMMIT (issue 14). A key certified before violates the
     * UNIQUE spki_sha256: the commit fails (DuplicateKeyException) and nothing of the transaction is stored.
     */
    public void insertPairAtCommit(
            PairId pair, List<CertificateId> ids, NewCertificate signing, NewCertificate encryption) {
        if (ids.size() != 2) {
            throw new IllegalArgumentException("a pair's two certificates take two ids, not " + ids);
        }
        List<NewCertificate> both = List.of(signing, encryption);
        for (int i = 0; i < 2; i++) {
            List<Object> args = new ArrayList<>(9);
            args.add(ids.get(i).value());
            args.addAll(params(pair, both.get(i)));
            WritesAtCommit.write(INSERT_WITH_ID.with(args), jdbc);
        }
    }

    private static List<Object> params(PairId pair, NewCertificate c) {
        return Arrays.asList(
                pair.value(),
                c.kind().name(),
                c.serial(),
                c.subjectDn(),
                Timestamps.of(c.notBefore()),
                Timestamps.of(c.notAfter()),
                c.keyHash().hex(),
                c.der().bytes());
    }

    public Optional<StoredCertificate> find(CertificateId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate WHERE id = ?")
                .param(id.value())
                .query(this::map)
                .optional();
    }

    public Optional<StoredCertificate> findBySerial(String hexSerial) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate WHERE serial = ?")
                .param(hexSerial)
                .query(this::map)
                .optional();
    }

    public Optional<StoredCertificate> findInPair(PairId pair, CertificateKind kind) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate WHERE pair_id = ? AND kind = ?")
                .params(pair.value(), kind.name())
                .query(this::map)
                .optional();
    }

    public List<StoredCertificate> findByPair(PairId pair) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM certificate WHERE pair_id = ? ORDER BY kind DESC")
                .param(pair.value())
                .query(this::map)
                .list();
    }

    /** Whether this CA ever certified the key. */
    public boolean keyCertified(KeyHash key) {
        return jdbc.sql("SELECT COUNT(*) FROM certificate WHERE spki_sha256 = ?")
                        .param(key.hex())
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Marks a certificate revoked (RFC 5280 §5.3.1 reason name); returns false when unknown or already revoked. */
    public boolean revoke(String hexSerial, Instant at, String reason) {
        return jdbc.sql(
                                "UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE serial = ? AND revoked_at IS NULL")
                        .params(Timestamps.of(at), reason, hexSerial)
                        .update()
                == 1;
    }

    /** Revokes both certificates of a pair that are not revoked yet; returns how many. */
    public int revokePair(PairId pair, Instant at, String reason) {
        return jdbc.sql(
                        "UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE pair_id = ? AND revoked_at IS NULL")
                .params(Timestamps.of(at), reason, pair.value())
                .update();
    }

    /** Revokes the certificates of a pair that are neither revoked nor expired at {@code at}; returns their serials. */
    public List<String> revokeUnexpiredInPair(PairId pair, Instant at, String reason) {
        List<String> serials = new java.util.ArrayList<>(
                jdbc.sql("SELECT serial FROM certificate WHERE pair_id = ? AND revoked_at IS NULL "
                                + "AND not_after >= ? ORDER BY kind DESC")
                        .params(pair.value(), Timestamps.of(at))
                        .query(String.class)
                        .list());
        serials.removeIf(serial -> !revoke(serial, at, reason));
        return serials;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM certificate").query(Long.class).single();
    }

    private StoredCertificate map(ResultSet rs, int row) throws SQLException {
        return read(rs, "");
    }

    /** The row's certificate, its columns named {@code prefix + column} ({@link PairSnapshots} joins tables). */
    static StoredCertificate read(ResultSet rs, String prefix) throws SQLException {
        return new StoredCertificate(
                new CertificateId(rs.getLong(prefix + "id")),
                new PairId(rs.getLong(prefix + "pair_id")),
                CertificateKind.valueOf(rs.getString(prefix + "kind")),
                rs.getString(prefix + "serial"),
                rs.getString(prefix + "subject_dn"),
                Timestamps.read(rs, prefix + "not_before"),
                Timestamps.read(rs, prefix + "not_after"),
                new KeyHash(rs.getString(prefix + "spki_sha256")),
                Der.of(rs.getBytes(prefix + "der")),
                Timestamps.read(rs, prefix + "revoked_at"));
    }
}
