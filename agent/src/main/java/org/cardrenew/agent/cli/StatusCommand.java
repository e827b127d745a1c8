package org.cardrenew.agent.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.renewal.DecryptionKeys;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.report.CertificateReport;
import org.cardrenew.agent.report.HistoryReport;
import org.cardrenew.agent.report.StatusReport;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.protocol.Subject;
import picocli.CommandLine.Command;

/** {@code cardrenew status}: the RA's status of the card's signing certificate. Changes nothing on the card. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show the status of the card's certificates and the old decryption keys it keeps (exit 0: renewable or in progress; 3: not renewable)")
final class StatusCommand extends CardCommand {

    StatusCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception {
        StatusResponse status = new RenewalFlow(ra, output.progress()).status(card, pins);
        List<CardEntry> history = DecryptionKeys.list(card);
        if (output.json()) {
            output.object(new Shown(StatusReport.of(status), HistoryReport.list(history)));
        } else {
            output.say("status.line", status.status(), output.messages().get("status." + status.status()));
            if (status.subject() != null) {
                output.say("status.subject", readable(status.subject()));
            }
            output.say("status.validity", Output.instant(status.notBefore()), Output.instant(status.notAfter()));
            if (status.renewalWindowOpens() != null) {
                output.say("status.window", Output.instant(status.renewalWindowOpens()));
            }
            if (status.renewalState() == RenewalState.EXPIRED_UNCONFIRMED) {
                // Issue 12: the card's last renewal was closed unconfirmed; say so in the holder's words.
                output.say("status.previousRenewalClosed", status.renewalId());
            }
            if (status.message() != null) {
                output.say("status.message", status.message());
            }
            output.sayHistory(history);
        }
        return status.status() == CertificateStatus.RENEWABLE
                        || status.status() == CertificateStatus.RENEWAL_IN_PROGRESS
                ? ExitCode.OK
                : ExitCode.NOT_RENEWABLE;
    }

    /** C, O, CN, SERIALNUMBER by name (RFC 2253 renders SERIALNUMBER as a bare OID), else the server's DN. */
    static String readable(Subject subject) {
        if (subject.commonName() == null) {
            return subject.distinguishedName();
        }
        return "C=" + subject.country() + ", O=" + subject.organization() + ", CN=" + subject.commonName()
                + ", SERIALNUMBER=" + subject.serialNumber();
    }

    /** {@code --json}: the status answer's fields (never its renewal token), and the old decryption keys. */
    record Shown(@JsonUnwrapped StatusReport status, List<CertificateReport> decryptionHistory) {}
}
