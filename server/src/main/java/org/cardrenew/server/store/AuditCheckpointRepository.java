package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Signed checkpoints of the audit chain head, and the reads the verifier needs (issue 7). */
@Repository
public class AuditCheckpointRepository {

    private final JdbcClient jdbc;

    public AuditCheckpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The head as last committed (no lock: a checkpoint may lag the newest append). */
    public AuditRepository.Head head() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
                .query((rs, n) -> new AuditRepository.Head(rs.getLong("last_seq"), rs.getString("last_hash")))
                .single();
    }

    public boolean exists(long seq) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_checkpoint WHERE seq = ?")
                        .param(seq)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public void insert(AuditCheckpoint c) {
        jdbc.sql("""
                INSERT INTO audit_checkpoint (seq, head_hash, signed_at, algorithm, key_fingerprint, signature, certificate,
                    previous_seq, timestamp_token)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.seq(),
                        c.headHash(),
                        Timestamps.of(c.signedAt()),
                        c.algorithm(),
                        c.keyFingerprint(),
                        c.signature(),
                        c.certificate(),
                        c.previousSeq(),
                        c.timestampToken())
                .update();
    }

    public List<AuditCheckpoint> all() {
        return jdbc.sql("SELECT * FROM audit_checkpoint ORDER BY seq")
                .query(AuditCheckpointRepository::read)
                .list();
    }

    public Optional<AuditCheckpoint> latest() {
        return jdbc.sql("SELECT * FROM audit_checkpoint ORDER BY seq DESC LIMIT 1")
                .query(AuditCheckpointRepository::read)
                .optional();
    }

    private static AuditCheckpoint read(ResultSet rs, int row) throws SQLException {
        long previous = rs.getLong("previous_seq");
        return new AuditCheckpoint(
                rs.getLong("seq"),
                rs.getString("head_hash"),
                Timestamps.read(rs, "signed_at"),
                rs.getString("algorithm"),
                rs.getString("key_fingerprint"),
                rs.getBytes("signature"),
                rs.getBytes("certificate"),
                rs.wasNull() ? null : previous,
                rs.getBytes("timestamp_token"));
    }
}
