package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A card pair with its certificates and its renewal in one query (one round trip instead of four): what every status
 * check and renewal reads first. Rows: one per certificate of the pair, the pair and the renewal (if any) repeated.
 */
@Repository
public class PairSnapshots {

    /** The pair, its certificates (signing first) and the renewal that renews it, if one was started. */
    public record PairSnapshot(CardPair pair, List<StoredCertificate> certificates, Optional<Renewal> renewal) {}

    private static final String SELECT = """
            SELECT p.id AS p_id, p.holder_id AS p_holder_id, p.status AS p_status, p.created_at AS p_created_at,
                   p.superseded_at AS p_superseded_at, p.revoke_after AS p_revoke_after,
                   c.id AS c_id, c.pair_id AS c_pair_id, c.kind AS c_kind, c.serial AS c_serial,
                   c.subject_dn AS c_subject_dn, c.not_before AS c_not_before, c.not_after AS c_not_after,
                   c.spki_sha256 AS c_spki_sha256, c.der AS c_der, c.revoked_at AS c_revoked_at,
                   r.id AS r_id, r.old_pair_id AS r_old_pair_id, r.state AS r_state,
                   r.signing_key_sha256 AS r_signing_key_sha256, r.encryption_key_sha256 AS r_encryption_key_sha256,
                   r.signing_key AS r_signing_key, r.encryption_key AS r_encryption_key, r.new_pair_id AS r_new_pair_id,
                   r.requested_at AS r_requested_at, r.issued_at AS r_issued_at, r.completed_at AS r_completed_at
            FROM card_pair p
            JOIN certificate c ON c.pair_id = p.id
            LEFT JOIN renewal r ON r.old_pair_id = p.id
            """;

    private final JdbcClient jdbc;

    public PairSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PairSnapshot> ofPair(PairId pair) {
        return jdbc.sql(SELECT + "WHERE p.id = ? ORDER BY c.kind DESC").param(pair.value()).query(SNAPSHOT);
    }

    /** The pair of the certificate with this serial (whichever kind it is). */
    public Optional<PairSnapshot> ofCertificate(String hexSerial) {
        return jdbc.sql(SELECT + "WHERE p.id = (SELECT pair_id FROM certificate WHERE serial = ?) ORDER BY c.kind DESC")
                .param(hexSerial)
                .query(SNAPSHOT);
    }

    private static final ResultSetExtractor<Optional<PairSnapshot>> SNAPSHOT = PairSnapshots::snapshot;

    private static Optional<PairSnapshot> snapshot(ResultSet rs) throws SQLException {
        CardPair pair = null;
        Renewal renewal = null;
        List<StoredCertificate> certificates = new ArrayList<>(2);
        while (rs.next()) {
            if (pair == null) {
                pair = CardPairRepository.read(rs, "p_");
                rs.getString("r_id");
                renewal = rs.wasNull() ? null : RenewalRepository.read(rs, "r_");
            }
            certificates.add(CertificateRepository.read(rs, "c_"));
        }
        return pair == null ? Optional.empty() : Optional.of(new PairSnapshot(pair, List.copyOf(certificates),
                Optional.ofNullable(renewal)));
    }
}
