package org.cardrenew.server.audit;

/**
 * The outcome of verifying the whole audit trail.
 *
 * @param ok           true when every record and every checkpoint verifies and the newest records are covered by a
 *                     checkpoint within the configured bound
 * @param firstBadSeq  the sequence number of the first bad (or missing, or uncovered) record; null when ok
 * @param reason       why that record is bad; null when ok
 * @param records      records read
 * @param checkpoints  signed checkpoints read
 * @param signedUpTo   the highest sequence number covered by a valid signed checkpoint (0 if none)
 * @param keysPinned   whether the trusted audit keys are configured by the operator (false: the key on disk was
 *                     trusted, which an insider with the data directory could have replaced)
 * @param timestamped  checkpoints whose RFC 3161 time-stamp token verified against the configured TSA
 * @param pending      records written by decisions and not yet linked into the chain (normally a few, for
 *                     milliseconds; not counted in {@code records})
 */
public record AuditVerification(
        boolean ok,
        Long firstBadSeq,
        String reason,
        long records,
        long checkpoints,
        long signedUpTo,
        boolean keysPinned,
        long timestamped,
        long pending) {}
