package org.cardrenew.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One half of a card pair renewal sent in two requests (EST; single-request CMP), kept until the other arrives. */
@Repository
public class SplitRequestRepository {

    /** A kept half. */
    public record Half(
            String currentSerial,
            CertificateKind kind,
            Der publicKey,
            Der subject,
            String transactionId,
            Instant receivedAt,
            Instant confirmedAt) {}

    private final JdbcClient jdbc;

    public SplitRequestRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the latest request for this kind: a retry with another key replaces the earlier one. */
    public void put(Half half) {
        jdbc.sql("DELETE FROM split_renewal_request WHERE current_serial = ? AND kind = ?")
                .params(half.currentSerial(), half.kind().name())
                .update();
        jdbc.sql("""
                INSERT INTO split_renewal_request (current_serial, kind, public_key, subject, transaction_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        half.currentSerial(),
                        half.kind().name(),
                        half.publicKey().bytes(),
                        half.subject().bytes(),
                        half.transactionId(),
                        Timestamps.of(half.receivedAt()))
                .update();
    }

    public Optional<Half> find(String currentSerial, CertificateKind kind) {
        return all(currentSerial).stream().filter(h -> h.kind() == kind).findFirst();
    }

    public List<Half> all(String currentSerial) {
        return jdbc.sql("SELECT * FROM split_renewal_request WHERE current_serial = ?")
                .param(currentSerial)
                .query((rs, row) -> new Half(
                        rs.getString("current_serial"),
                        CertificateKind.valueOf(rs.getString("kind")),
                        Der.of(rs.getBytes("public_key")),
                        Der.of(rs.getBytes("subject")),
                        rs.getString("transaction_id"),
                        Timestamps.read(rs, "received_at"),
                        Timestamps.read(rs, "confirmed_at")))
                .list();
    }

    public void markConfirmed(String currentSerial, CertificateKind kind, Instant at) {
        jdbc.sql("UPDATE split_renewal_request SET confirmed_at = ? WHERE current_serial = ? AND kind = ?")
                .params(Timestamps.of(at), currentSerial, kind.name())
                .update();
    }
}
