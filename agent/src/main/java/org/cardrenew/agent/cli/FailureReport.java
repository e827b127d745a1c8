package org.cardrenew.agent.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A failed command's one JSON object with {@code --json}: the exit code's name and number, the machine fields this
 * failure has (absent ones are left out), and the holder's sentence last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FailureReport(
        String result,
        int exitCode,
        String code,
        String reason,
        String pinWarning,
        String server,
        List<Presented> chain,
        String message) {

    /** One certificate the server presented, for the desktop team. */
    record Presented(String subject, String issuer) {}

    static FailureReport of(ExitCode exit, String message) {
        return new FailureReport(exit.name(), exit.code(), null, null, null, null, null, message);
    }

    FailureReport withCode(String code) {
        return new FailureReport(result, exitCode, code, reason, pinWarning, server, chain, message);
    }

    FailureReport withReason(String reason) {
        return new FailureReport(result, exitCode, code, reason, pinWarning, server, chain, message);
    }

    FailureReport withPinWarning(String pinWarning) {
        return new FailureReport(result, exitCode, code, reason, pinWarning, server, chain, message);
    }

    FailureReport withServer(String server, List<Presented> chain) {
        return new FailureReport(result, exitCode, code, reason, pinWarning, server, List.copyOf(chain), message);
    }
}
