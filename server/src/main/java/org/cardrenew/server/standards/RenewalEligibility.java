package org.cardrenew.server.standards;

import java.time.Clock;
import java.util.Optional;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.ra.RenewalWindow;
import org.springframework.stereotype.Component;

/**
 * The RA's status (RenewalWindow) asked before a protocol reads or keeps any request, so that a client first learns
 * that the card cannot be renewed at all. Renewable, in-progress and already-renewed pairs go on to the RA, which
 * resumes an identical request and refuses a different one.
 */
@Component
public class RenewalEligibility {

    private final RenewalWindow window;
    private final Clock clock;

    public RenewalEligibility(RenewalWindow window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /** The refusal code for a pair that cannot be renewed now, if any. */
    public Optional<ErrorCode> refusal(CurrentPair pair) {
        CertificateStatus status = window.statusOf(pair.facts(), clock.instant());
        return Optional.ofNullable(switch (status) {
            case EXPIRED -> ErrorCode.CERTIFICATE_EXPIRED;
            case REVOKED -> ErrorCode.CERTIFICATE_REVOKED;
            case NOT_YET_RENEWABLE -> ErrorCode.NOT_YET_RENEWABLE;
            case UNKNOWN -> ErrorCode.CERTIFICATE_UNKNOWN;
            case RENEWABLE, RENEWAL_IN_PROGRESS, ALREADY_RENEWED -> null;
        });
    }
}
