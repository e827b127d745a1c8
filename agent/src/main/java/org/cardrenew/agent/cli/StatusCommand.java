package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.protocol.Subject;
import picocli.CommandLine.Command;

/** {@code cardrenew status}: the RA's status of the card's signing certificate. Changes nothing on the card. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the status of the card's certificates (exit 0: renewable or in progress; 3: not renewable)")
final class StatusCommand extends CardCommand {

    StatusCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception {
        StatusResponse status = new RenewalFlow(ra, output.progress()).status(card, pins);
        if (output.json()) {
            output.object(json(status));
        } else {
            output.say("status.line", status.status(), output.messages().get("status." + status.status()));
            if (status.subject() != null) {
                output.say("status.subject", readable(status.subject()));
            }
            output.say("status.validity", Output.instant(status.notBefore()), Output.instant(status.notAfter()));
            if (status.renewalWindowOpens() != null) {
                output.say("status.window", Output.instant(status.renewalWindowOpens()));
            }
            if (status.message() != null) {
                output.say("status.message", status.message());
            }
        }
        return status.status() == CertificateStatus.RENEWABLE || status.status() == CertificateStatus.RENEWAL_IN_PROGRESS
                ? ExitCode.OK : ExitCode.NOT_RENEWABLE;
    }

    /** C, O, CN, SERIALNUMBER by name (RFC 2253 renders SERIALNUMBER as a bare OID), else the server's DN. */
    static String readable(Subject subject) {
        if (subject.commonName() == null) {
            return subject.distinguishedName();
        }
        return "C=" + subject.country() + ", O=" + subject.organization() + ", CN=" + subject.commonName()
                + ", SERIALNUMBER=" + subject.serialNumber();
    }

    /** The status answer without its renewal token: a bearer secret has no place in scripts' logs. */
    static Map<String, Object> json(StatusResponse status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status.status().name());
        if (status.subject() != null) {
            Map<String, Object> subject = new LinkedHashMap<>();
            subject.put("country", status.subject().country());
            subject.put("organization", status.subject().organization());
            subject.put("commonName", status.subject().commonName());
            subject.put("serialNumber", status.subject().serialNumber());
            subject.put("distinguishedName", status.subject().distinguishedName());
            fields.put("subject", subject);
        }
        fields.put("certificateSerial", status.certificateSerial());
        fields.put("notBefore", Output.instant(status.notBefore()));
        fields.put("notAfter", Output.instant(status.notAfter()));
        fields.put("renewalWindowOpens", Output.instant(status.renewalWindowOpens()));
        fields.put("renewalId", status.renewalId());
        fields.put("renewalState", status.renewalState() == null ? null : status.renewalState().name());
        fields.put("message", status.message());
        return fields;
    }
}
