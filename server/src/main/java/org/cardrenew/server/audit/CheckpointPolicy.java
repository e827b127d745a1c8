package org.cardrenew.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * What the audit verifier trusts and how far the trail may run ahead of its newest checkpoint (docs/AUDIT.md).
 *
 * @param trustedFingerprints SHA-256 fingerprints of the audit keys' certificates whose checkpoints count
 * @param keysPinned          whether the operator configured them (false: the key on disk is trusted, and the
 *                            verification says so)
 * @param maxUnsignedRecords  more records than this after the newest valid checkpoint are reported; 0: no bound
 * @param maxUnsignedAge      a record older than this and not covered by a valid checkpoint is reported; null: none
 * @param clock               what "older" is measured against
 * @param timeStamps          the pinned time-stamp authority that checks checkpoints' RFC 3161 tokens; null: none
 */
public record CheckpointPolicy(
        Set<String> trustedFingerprints,
        boolean keysPinned,
        long maxUnsignedRecords,
        Duration maxUnsignedAge,
        Clock clock,
        TimeStampAuthority timeStamps) {

    public CheckpointPolicy {
        trustedFingerprints = Set.copyOf(trustedFingerprints);
    }

    /** Pinned keys and no coverage bound: verification of what is there, nothing more. */
    public static CheckpointPolicy trusting(Set<String> fingerprints) {
        return new CheckpointPolicy(fingerprints, true, 0, null, Clock.systemUTC(), null);
    }
}
