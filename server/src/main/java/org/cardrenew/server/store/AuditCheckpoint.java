package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One signed audit chain head: the record at {@code seq} had {@code headHash} when the audit key signed it.
 *
 * @param previousSeq    the seq of the checkpoint signed before this one (0 for the first); null in checkpoints
 *                       signed before checkpoints were chained
 * @param timestampToken an RFC 3161 time-stamp token over SHA-256 of {@code signature}; null without a TSA
 */
public record AuditCheckpoint(
        long seq,
        String headHash,
        Instant signedAt,
        String algorithm,
        String keyFingerprint,
        byte[] signature,
        byte[] certificate,
        Long previousSeq,
        byte[] timestampToken) {

    /** Equal by content, the arrays included (a record's own equals would compare them by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuditCheckpoint c
                && seq == c.seq
                && Objects.equals(headHash, c.headHash)
                && Objects.equals(signedAt, c.signedAt)
                && Objects.equals(algorithm, c.algorithm)
                && Objects.equals(keyFingerprint, c.keyFingerprint)
                && Arrays.equals(signature, c.signature)
                && Arrays.equals(certificate, c.certificate)
                && Objects.equals(previousSeq, c.previousSeq)
                && Arrays.equals(timestampToken, c.timestampToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                seq,
                headHash,
                signedAt,
                algorithm,
                keyFingerprint,
                Arrays.hashCode(signature),
                Arrays.hashCode(certificate),
                previousSeq,
                Arrays.hashCode(timestampToken));
    }

    @Override
    public String toString() {
        return "AuditCheckpoint[seq=" + seq + ", headHash=" + headHash + ", signedAt=" + signedAt + ", key="
                + keyFingerprint + ", previousSeq=" + previousSeq + ", time-stamped=" + (timestampToken != null) + "]";
    }
}
