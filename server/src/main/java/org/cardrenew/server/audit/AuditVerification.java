package org.cardrenew.server.audit;

/**
 * The outcome of verifying the whole audit trail.
 *
 * @param ok           true when every record and every checkpoint verifies
 * @param firstBadSeq  the sequence number of the first bad (or missing) record; null when ok
 * @param reason       why that record is bad; null when ok
 * @param records      records read
 * @param checkpoints  signed checkpoints read
 * @param signedUpTo   the highest sequence number covered by a valid signed checkpoint (0 if none)
 */
public record AuditVerification(boolean ok, Long firstBadSeq, String reason, long records, long checkpoints,
        long signedUpTo) {

    static AuditVerification intact(long records, long checkpoints, long signedUpTo) {
        return new AuditVerification(true, null, null, records, checkpoints, signedUpTo);
    }
}
