package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Renewal tokens, stored only as SHA-256 hashes and bound to the signing certificate they were issued for. */
@Repository
public class RenewalTokenRepository {

    private final JdbcClient jdbc;

    public RenewalTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String tokenSha256, CertificateId certificate, Instant createdAt, Instant expiresAt) {
        jdbc.sql("INSERT INTO renewal_token (token_sha256, certificate_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(tokenSha256, certificate.value(), Timestamps.of(createdAt), Timestamps.of(expiresAt))
                .update();
    }

    /** The certificate the token is bound to, when the token exists and has not expired (inclusive). */
    public Optional<CertificateId> findValid(String tokenSha256, Instant now) {
        return jdbc.sql("SELECT certificate_id FROM renewal_token WHERE token_sha256 = ? AND expires_at >= ?")
                .params(tokenSha256, Timestamps.of(now))
                .query((rs, n) -> new CertificateId(rs.getLong(1)))
                .optional();
    }

    public int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM renewal_token WHERE expires_at < ?")
                .param(Timestamps.of(before))
                .update();
    }
}
