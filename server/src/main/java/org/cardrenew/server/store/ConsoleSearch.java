package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only searches for RA officers: certificates by holder, name or serial; renewals and their history. */
@Repository
public class ConsoleSearch {

    /** One certificate with its pair and holder, as listed. */
    public record CertificateRow(
            String serial,
            String kind,
            String subjectDn,
            Instant notBefore,
            Instant notAfter,
            Instant revokedAt,
            String revocationReason,
            long pairId,
            String pairStatus,
            String holderId,
            String holderName,
            String organization) {}

    /** One renewal of a holder's pair. */
    public record RenewalRow(
            String id,
            String state,
            long oldPairId,
            Long newPairId,
            Instant requestedAt,
            Instant issuedAt,
            Instant completedAt) {}

    static final int MAX_ROWS = 200;
    private static final String CERTIFICATES = """
            SELECT c.serial, c.kind, c.subject_dn, c.not_before, c.not_after, c.revoked_at, c.revocation_reason,
                   p.id AS pair_id, p.status AS pair_status, h.holder_id, h.name, h.organization
            FROM certificate c JOIN card_pair p ON p.id = c.pair_id JOIN holder h ON h.holder_id = p.holder_id
            """;
    private static final String RENEWALS =
            // A renewal closed unconfirmed keeps its pair in closed_pair_id (V12).
            "SELECT id, state, COALESCE(old_pair_id, closed_pair_id) AS old_pair_id, new_pair_id, requested_at, issued_at, "
                    + "completed_at FROM renewal ";

    private final JdbcClient jdbc;

    public ConsoleSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Exact holder id or serial (hex, any case), or a part of the holder's name; newest first, at most 200. */
    public List<CertificateRow> certificates(String query) {
        String q = query.trim();
        String like = "%"
                + q.toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_") + "%";
        return jdbc.sql(CERTIFICATES + """
                WHERE h.holder_id = ? OR c.serial = ? OR LOWER(h.name) LIKE ? ESCAPE '\\'
                ORDER BY c.not_after DESC, c.serial LIMIT ?""")
                .params(q, q.toLowerCase(Locale.ROOT), like, MAX_ROWS)
                .query(this::certificateRow)
                .list();
    }

    public Optional<CertificateRow> certificate(String serial) {
        return jdbc.sql(CERTIFICATES + "WHERE c.serial = ?")
                .param(serial.toLowerCase(Locale.ROOT))
                .query(this::certificateRow)
                .optional();
    }

    /** Every renewal of every pair the holder ever had, oldest first: the card's history. */
    public List<RenewalRow> renewalsOfHolder(String holderId) {
        return jdbc.sql(RENEWALS + """
                WHERE COALESCE(old_pair_id, closed_pair_id) IN (SELECT id FROM card_pair WHERE holder_id = ?)
                ORDER BY requested_at, id""").param(holderId).query(this::renewalRow).list();
    }

    public Optional<RenewalRow> renewal(String id) {
        return jdbc.sql(RENEWALS + "WHERE id = ?")
                .param(id)
                .query(this::renewalRow)
                .optional();
    }

    /**
     * One decision or state change of a renewal as an officer reads it: {@code seq} is its place in the hash chain, or
     * null while the record waits to be chained (a few milliseconds after the decision, docs/AUDIT.md).
     */
    public record Decision(
            Long seq, Instant occurredAt, String action, String outcome, String code, String clientAddress) {}

    private static final String DECISIONS_OF_RENEWAL = """
            SELECT seq, occurred_at, action, outcome, code, client_address, 0 AS waiting, seq AS place
            FROM audit_event WHERE renewal_id = ?
            UNION ALL
            SELECT CAST(NULL AS BIGINT), occurred_at, action, outcome, code, client_address, 1, id
            FROM audit_pending WHERE renewal_id = ?
            ORDER BY waiting, place""";

    /**
     * The audit records of one renewal in order, chained ones first, then those waiting to be chained: each decision
     * and state change. One statement, so one snapshot: a record the chainer moves meanwhile is read once.
     */
    public List<Decision> auditOfRenewal(String id) {
        return jdbc.sql(DECISIONS_OF_RENEWAL)
                .params(id, id)
                .query((rs, n) -> new Decision(
                        rs.getObject("seq") == null ? null : rs.getLong("seq"),
                        Timestamps.read(rs, "occurred_at"),
                        rs.getString("action"),
                        rs.getString("outcome"),
                        rs.getString("code"),
                        rs.getString("client_address")))
                .list();
    }

    private CertificateRow certificateRow(ResultSet rs, int n) throws SQLException {
        return new CertificateRow(
                rs.getString("serial"),
                rs.getString("kind"),
                rs.getString("subject_dn"),
                Timestamps.read(rs, "not_before"),
                Timestamps.read(rs, "not_after"),
                Timestamps.read(rs, "revoked_at"),
                rs.getString("revocation_reason"),
                rs.getLong("pair_id"),
                rs.getString("pair_status"),
                rs.getString("holder_id"),
                rs.getString("name"),
                rs.getString("organization"));
    }

    private RenewalRow renewalRow(ResultSet rs, int n) throws SQLException {
        Long newPair = rs.getObject("new_pair_id") == null ? null : rs.getLong("new_pair_id");
        return new RenewalRow(
                rs.getString("id"),
                rs.getString("state"),
                rs.getLong("old_pair_id"),
                newPair,
                Timestamps.read(rs, "requested_at"),
                Timestamps.read(rs, "issued_at"),
                Timestamps.read(rs, "completed_at"));
    }
}
