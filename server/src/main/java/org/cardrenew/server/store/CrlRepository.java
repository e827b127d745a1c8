package org.cardrenew.server.store;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Published CRLs and what goes into the next one. The CRL number is the primary key: of two nodes publishing at
 * the same moment one wins (DuplicateKeyException for the other), so numbers only ever increase (RFC 5280 §5.2.3).
 */
@Repository
public class CrlRepository {

    private final JdbcClient jdbc;

    public CrlRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PublishedCrl> latest() {
        return jdbc.sql("SELECT crl_number, this_update, next_update, der FROM published_crl "
                        + "ORDER BY crl_number DESC FETCH FIRST 1 ROWS ONLY")
                .query(this::map)
                .optional();
    }

    /** Stores a newly signed CRL; a concurrent publisher with the same number makes this throw DuplicateKeyException. */
    public void insert(PublishedCrl crl) {
        jdbc.sql("INSERT INTO published_crl (crl_number, this_update, next_update, der) VALUES (?, ?, ?, ?)")
                .params(
                        crl.number().longValueExact(),
                        Timestamps.of(crl.thisUpdate()),
                        Timestamps.of(crl.nextUpdate()),
                        crl.der().bytes())
                .update();
        // Older CRLs are superseded; keep the last few for diagnosis only.
        jdbc.sql("DELETE FROM published_crl WHERE crl_number < ?")
                .param(crl.number().longValueExact() - 10)
                .update();
    }

    /** Revoked certificates that have not expired yet (RFC 5280 §5: expired ones may leave the CRL). */
    public List<RevokedEntry> revokedNotExpired(Instant now) {
        return jdbc.sql("SELECT serial, revoked_at, revocation_reason FROM certificate "
                        + "WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY revoked_at, serial")
                .param(Timestamps.of(now))
                .query((rs, row) -> new RevokedEntry(
                        rs.getString("serial"), Timestamps.read(rs, "revoked_at"), rs.getString("revocation_reason")))
                .list();
    }

    /** The RFC 5280 reason name recorded for a revoked certificate (empty: not revoked, unknown, or no reason). */
    public Optional<String> revocationReason(String serial) {
        return jdbc.sql("SELECT revocation_reason FROM certificate WHERE serial = ? AND revoked_at IS NOT NULL")
                .param(serial)
                .query((rs, row) -> Optional.ofNullable(rs.getString("revocation_reason")))
                .optional()
                .flatMap(reason -> reason);
    }

    /** The latest revocation time in the store, from any source (admin, grace-period job, another node). */
    public Optional<Instant> latestRevocation() {
        return jdbc.sql("SELECT MAX(revoked_at) AS latest FROM certificate")
                .query((rs, row) -> Optional.ofNullable(Timestamps.read(rs, "latest")))
                .single();
    }

    private PublishedCrl map(ResultSet rs, int row) throws SQLException {
        return new PublishedCrl(
                BigInteger.valueOf(rs.getLong("crl_number")),
                Timestamps.read(rs, "this_update"),
                Timestamps.read(rs, "next_update"),
                Der.of(rs.getBytes("der")));
    }
}
