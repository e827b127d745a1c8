package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardrenew.agent.card.CardFailureException;
import org.cardrenew.agent.card.NoTokenException;
import org.cardrenew.agent.card.PinLockedException;
import org.cardrenew.agent.card.PinWarning;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.protocol.RaRefusedException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a command's result goes: sentences for people, or exactly one JSON object on standard output
 * with --json (progress then goes to standard error). Maps every failure to its {@link ExitCode}.
 */
final class Output {

    private final PrintStream out;
    private final PrintStream err;
    private final Messages messages;
    private final boolean json;
    private final JsonMapper mapper = JsonMapper.builder().build();

    Output(PrintStream out, PrintStream err, Messages messages, boolean json) {
        this.out = out;
        this.err = err;
        this.messages = messages;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    Messages messages() {
        return messages;
    }

    RenewalListener progress() {
        return new ProgressPrinter(json ? err : out, messages);
    }

    /** A line for people; suppressed with --json. */
    void say(String key, Object... args) {
        if (!json) {
            out.println(messages.get(key, args));
        }
    }

    void object(Map<String, Object> fields) {
        out.println(mapper.writeValueAsString(fields));
    }

    int usage(UsageException e) {
        return fail(ExitCode.USAGE, messages.get("error.usage", e.getMessage()), Map.of());
    }

    int failure(Exception e, CardOptions options) {
        if (e instanceof PinInput.NoPinException) {
            return fail(ExitCode.USAGE, messages.get("error.usage", e.getMessage()), Map.of());
        }
        if (e instanceof WrongPinException w) {
            String text = messages.get("error.wrongPin");
            if (w.warning() == PinWarning.COUNT_LOW) {
                text += " " + messages.get("error.pinCountLow");
            } else if (w.warning() == PinWarning.FINAL_TRY) {
                text += " " + messages.get("error.pinFinalTry");
            }
            return fail(ExitCode.WRONG_PIN, text, Map.of("pinWarning", w.warning().name()));
        }
        if (e instanceof PinLockedException) {
            return fail(ExitCode.PIN_LOCKED, messages.get("error.pinLocked"), Map.of());
        }
        if (e instanceof NoTokenException n) {
            Object arg = n.reason() == NoTokenException.Reason.LIBRARY_MISSING ? options.module : options.token;
            return fail(ExitCode.NO_TOKEN, messages.get("error.noToken." + n.reason(), arg), Map.of("reason", n.reason().name()));
        }
        if (e instanceof CardFailureException) {
            return fail(ExitCode.CARD_ERROR, messages.get("error.card", e.getMessage()), Map.of());
        }
        if (e instanceof RenewalException r) {
            return fail(ExitCode.CARD_ERROR, messages.get("error.card", messages.get("reason." + r.reason())),
                    Map.of("reason", r.reason().name()));
        }
        if (e instanceof RaRefusedException r) {
            return fail(ExitCode.REFUSED, messages.get("error.refused", r.code(), r.error().message()), Map.of("code", r.code()));
        }
        if (e instanceof IOException) {
            return fail(ExitCode.NETWORK, messages.get("error.network", e.getMessage()), Map.of());
        }
        return fail(ExitCode.UNEXPECTED, messages.get("error.unexpected", String.valueOf(e)), Map.of());
    }

    private int fail(ExitCode code, String text, Map<String, Object> extra) {
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("result", code.name());
            fields.put("exitCode", code.code());
            fields.putAll(extra);
            fields.put("message", text);
            object(fields);
        } else {
            err.println(text);
        }
        return code.code();
    }

    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String serial(X509Certificate certificate) {
        return certificate == null ? null : certificate.getSerialNumber().toString(16);
    }
}
