package org.cardrenew.server.ra;

import static org.cardrenew.protocol.CertificateStatus.ALREADY_RENEWED;
import static org.cardrenew.protocol.CertificateStatus.NOT_YET_RENEWABLE;
import static org.cardrenew.protocol.CertificateStatus.RENEWABLE;
import static org.cardrenew.protocol.CertificateStatus.RENEWAL_IN_PROGRESS;

import java.util.EnumSet;
import java.util.Set;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.server.store.ChallengePurpose;

/**
 * What a card authenticates for, and so what {@link CardAuthenticator} asks beyond the checks every use shares: which
 * challenge and signed payload prove possession (none where the protocol proves it), and which standings of the
 * card's signing certificate ({@link RenewalWindow}) the use accepts.
 */
public enum CardUse {

    /** The holder's status check: every standing is answered (the page tells an expired or revoked card's holder). */
    STATUS(ChallengePurpose.STATUS, EnumSet.allOf(CertificateStatus.class), false),

    /**
     * An officer's console sign-in: a current certificate only, not expired, revoked or superseded (an officer who
     * renewed signs in with the new card certificate).
     */
    CONSOLE_SIGN_IN(
            ChallengePurpose.CONSOLE_SIGN_IN, EnumSet.of(RENEWABLE, NOT_YET_RENEWABLE, RENEWAL_IN_PROGRESS), true),

    /**
     * Renewal over CMP or EST, every message of it (kur, pollReq, certConf, simplereenroll): possession is proven by
     * the protocol (signature protection, TLS client authentication). A renewal in progress or done goes on to the
     * RA, which resumes an identical request (certificates already issued are delivered even after the old one
     * expired) and refuses a different one.
     */
    RENEWAL(null, EnumSet.of(RENEWABLE, RENEWAL_IN_PROGRESS, ALREADY_RENEWED), false);

    private final ChallengePurpose challenge;
    private final Set<CertificateStatus> accepted;
    private final boolean currentValidityRequired;

    CardUse(ChallengePurpose challenge, Set<CertificateStatus> accepted, boolean currentValidityRequired) {
        this.challenge = challenge;
        this.accepted = accepted;
        this.currentValidityRequired = currentValidityRequired;
    }

    /** The purpose of the challenge that proves possession, or null when the protocol proves it. */
    ChallengePurpose challenge() {
        return challenge;
    }

    /** The exact bytes the card signs over the challenge's nonce for this use. */
    byte[] signedPayload(String nonce) {
        return switch (challenge) {
            case STATUS -> SignedPayloads.status(nonce);
            case CONSOLE_SIGN_IN -> SignedPayloads.consoleSignIn(nonce);
        };
    }

    boolean accepts(CertificateStatus standing) {
        return accepted.contains(standing);
    }

    /** Whether the certificate must be within its validity at the clock whatever its standing. */
    boolean currentValidityRequired() {
        return currentValidityRequired;
    }
}
