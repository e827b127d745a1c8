package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A card pair with its certificates and its renewal in one query (one round trip instead of four): what every status
 * check and renewal reads first. Rows: one per certificate of the pair, the pair and the renewal (if any) repeated.
 */
@Repository
public class PairSnapshots {

    /**
     * The pair, its certificates (signing first) and the renewal that renews it, if one was started; without one, the
     * renewal of the pair closed unconfirmed most recently, if any (issue 12: the status check tells the card).
     */
    public record PairSnapshot(
            CardPair pair,
            List<StoredCertificate> certificates,
            Optional<Renewal> renewal,
            Optional<RenewalId> lastClosed) {}

    /** The pair of the certificate a renewal token is bound to, and that certificate's id. */
    public record BoundSnapshot(CertificateId bound, PairSnapshot snapshot) {}

    /** A renewal with the certificates of its old pair and, once issued, of its new pair (in no particular order). */
    public record RenewalSnapshot(Renewal renewal, List<StoredCertificate> certificates) {}

    private static final String PAIR_COLUMNS = """
            p.id AS p_id, p.holder_id AS p_holder_id, p.status AS p_status, p.created_at AS p_created_at,
            p.superseded_at AS p_superseded_at, p.revoke_after AS p_revoke_after,
            CASE WHEN r.id IS NULL THEN (SELECT x.id FROM renewal x WHERE x.closed_pair_id = p.id
                                         ORDER BY x.closed_at DESC, x.id FETCH FIRST 1 ROWS ONLY) END AS x_closed_id""";

    private static final String CERTIFICATE_AND_RENEWAL_COLUMNS = """
            c.id AS c_id, c.pair_id AS c_pair_id, c.kind AS c_kind, c.serial AS c_serial,
            c.subject_dn AS c_subject_dn, c.not_before AS c_not_before, c.not_after AS c_not_after,
            c.spki_sha256 AS c_spki_sha256, c.der AS c_der, c.revoked_at AS c_revoked_at,
            r.id AS r_id, r.old_pair_id AS r_old_pair_id, r.state AS r_state,
            r.signing_key_sha256 AS r_signing_key_sha256, r.encryption_key_sha256 AS r_encryption_key_sha256,
            r.signing_key AS r_signing_key, r.encryption_key AS r_encryption_key, r.new_pair_id AS r_new_pair_id,
            r.requested_at AS r_requested_at, r.issued_at AS r_issued_at, r.completed_at AS r_completed_at,
            r.closed_pair_id AS r_closed_pair_id
            """;

    private static final String COLUMNS = "SELECT " + PAIR_COLUMNS + ",\n" + CERTIFICATE_AND_RENEWAL_COLUMNS;

    private static final String SELECT = COLUMNS + """
            FROM card_pair p
            JOIN certificate c ON c.pair_id = p.id
            LEFT JOIN renewal r ON r.old_pair_id = p.id
            """;

    private final JdbcClient jdbc;

    public PairSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PairSnapshot> ofPair(PairId pair) {
        return jdbc.sql(SELECT + "WHERE p.id = ? ORDER BY c.kind DESC")
                .param(pair.value())
                .query(SNAPSHOT);
    }

    /** The pair of the certificate with this serial (whichever kind it is). */
    public Optional<PairSnapshot> ofCertificate(String hexSerial) {
        return jdbc.sql(SELECT + "WHERE p.id = (SELECT pair_id FROM certificate WHERE serial = ?) ORDER BY c.kind DESC")
                .param(hexSerial)
                .query(SNAPSHOT);
    }

    /**
     * The pair of the signing certificate the renewal token (its SHA-256, stored with the use of the challenge its status
     * check answered) is bound to, when the token exists and has not expired (inclusive): token, certificate and pair in
     * one round trip instead of three.
     */
    public Optional<BoundSnapshot> ofRenewalToken(String tokenSha256, Instant now) {
        return jdbc.sql(COLUMNS + """
                        , b.id AS t_certificate_id
                        FROM challenge t
                        JOIN certificate b ON b.serial = t.certificate_serial AND b.kind = 'SIGNING'
                        JOIN card_pair p ON p.id = b.pair_id
                        JOIN certificate c ON c.pair_id = p.id
                        LEFT JOIN renewal r ON r.old_pair_id = p.id
                        WHERE t.token_sha256 = ? AND t.token_expires_at >= ?
                        ORDER BY c.kind DESC""").params(tokenSha256, Timestamps.of(now)).query(rs -> {
            if (!rs.next()) {
                return Optional.<BoundSnapshot>empty();
            }
            CertificateId bound = new CertificateId(rs.getLong("t_certificate_id"));
            return snapshot(rs, true).map(s -> new BoundSnapshot(bound, s));
        });
    }

    /**
     * A renewal with the certificates of both its pairs, in one round trip: all a confirmation needs (the new
     * certificates to check the card's signature and answer, the old signing certificate's expiry).
     */
    public Optional<RenewalSnapshot> ofRenewal(RenewalId id) {
        // A renewal closed unconfirmed keeps the pair it renewed in closed_pair_id (V12), as RenewalRepository reads
        // it.
        return jdbc.sql("SELECT " + CERTIFICATE_AND_RENEWAL_COLUMNS + """
                        FROM renewal r
                        JOIN certificate c ON c.pair_id IN (COALESCE(r.old_pair_id, r.closed_pair_id), r.new_pair_id)
                        WHERE r.id = ?""")
                .param(id.toString())
                .query(rs -> {
                    Renewal renewal = null;
                    List<StoredCertificate> certificates = new ArrayList<>(4);
                    while (rs.next()) {
                        if (renewal == null) {
                            renewal = RenewalRepository.read(rs, "r_");
                        }
                        certificates.add(CertificateRepository.read(rs, "c_"));
                    }
                    return renewal == null
                            ? Optional.<RenewalSnapshot>empty()
                            : Optional.of(new RenewalSnapshot(renewal, List.copyOf(certificates)));
                });
    }

    private static final ResultSetExtractor<Optional<PairSnapshot>> SNAPSHOT = rs -> snapshot(rs, false);

    /** Reads the rows of one pair; {@code onRow} when the caller has moved to the first row already. */
    private static Optional<PairSnapshot> snapshot(ResultSet rs, boolean onRow) throws SQLException {
        CardPair pair = null;
        Renewal renewal = null;
        RenewalId lastClosed = null;
        List<StoredCertificate> certificates = new ArrayList<>(2);
        for (boolean row = onRow || rs.next(); row; row = rs.next()) {
            if (pair == null) {
                pair = CardPairRepository.read(rs, "p_");
                rs.getString("r_id");
                renewal = rs.wasNull() ? null : RenewalRepository.read(rs, "r_");
                String closed = rs.getString("x_closed_id");
                lastClosed = closed == null ? null : new RenewalId(UUID.fromString(closed));
            }
            certificates.add(CertificateRepository.read(rs, "c_"));
        }
        return pair == null
                ? Optional.empty()
                : Optional.of(new PairSnapshot(
                        pair,
                        List.copyOf(certificates),
                        Optional.ofNullable(renewal),
                        Optional.ofNullable(lastClosed)));
    }
}
