package org.cardrenew.agent.report;

import java.time.Instant;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.protocol.Subject;

/** The RA's status answer without its renewal token: a bearer secret has no place in a page or a script's log. */
public record StatusReport(
        CertificateStatus status,
        Subject subject,
        String certificateSerial,
        Instant notBefore,
        Instant notAfter,
        Instant renewalWindowOpens,
        String renewalId,
        RenewalState renewalState,
        String message) {

    public static StatusReport of(StatusResponse status) {
        return new StatusReport(
                status.status(),
                status.subject(),
                status.certificateSerial(),
                status.notBefore(),
                status.notAfter(),
                status.renewalWindowOpens(),
                status.renewalId(),
                status.renewalState(),
                status.message());
    }
}
