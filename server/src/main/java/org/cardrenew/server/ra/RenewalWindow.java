package org.cardrenew.server.ra;

import java.time.Duration;
import java.time.Instant;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.PairStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The status policy: a pure function of the certificate's facts and the time. */
@Component
public class RenewalWindow {

    private final Duration window;

    @Autowired
    public RenewalWindow(RenewalProperties properties) {
        this(properties.window());
    }

    public RenewalWindow(Duration window) {
        this.window = window;
    }

    /** The first instant at which a certificate with this notAfter is renewable. */
    public Instant opensAt(Instant notAfter) {
        return notAfter.minus(window);
    }

    /** Exactly one status; the order of the checks is the precedence. */
    public CertificateStatus statusOf(CertificateFacts facts, Instant now) {
        if (facts.revoked() || facts.pairStatus() == PairStatus.REVOKED) {
            return CertificateStatus.REVOKED;
        }
        if (facts.pairStatus() == PairStatus.SUPERSEDED || facts.renewalState() == RenewalState.COMPLETED) {
            return CertificateStatus.ALREADY_RENEWED;
        }
        if (facts.renewalState() == RenewalState.ISSUED) {
            // The new certificates exist: deliver them even after the old one expired, never issue again.
            return CertificateStatus.RENEWAL_IN_PROGRESS;
        }
        // RFC 5280 §4.1.2.5: the validity period includes notAfter; one second later it is over.
        if (now.isAfter(facts.notAfter())) {
            return CertificateStatus.EXPIRED;
        }
        if (facts.renewalState() == RenewalState.REQUESTED) {
            return CertificateStatus.RENEWAL_IN_PROGRESS;
        }
        if (now.isBefore(opensAt(facts.notAfter()))) {
            return CertificateStatus.NOT_YET_RENEWABLE;
        }
        return CertificateStatus.RENEWABLE;
    }

    /**
     * The refusal code for a standing that does not allow what was asked: the one status-to-code mapping (status,
     * renewal, fetch, CMP, EST and console sign-in all refuse through it).
     */
    public static ErrorCode refusalFor(CertificateStatus standing) {
        return switch (standing) {
            case EXPIRED -> ErrorCode.CERTIFICATE_EXPIRED;
            case REVOKED -> ErrorCode.CERTIFICATE_REVOKED;
            case NOT_YET_RENEWABLE -> ErrorCode.NOT_YET_RENEWABLE;
            case ALREADY_RENEWED -> ErrorCode.ALREADY_RENEWED;
            case RENEWAL_IN_PROGRESS -> ErrorCode.RENEWAL_IN_PROGRESS;
            case UNKNOWN -> ErrorCode.CERTIFICATE_UNKNOWN;
            case RENEWABLE -> ErrorCode.INTERNAL_ERROR;
        };
    }
}
