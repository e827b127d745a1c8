package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.agent.card.CardBusyException;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardFailureException;
import org.cardrenew.agent.card.CardFullException;
import org.cardrenew.agent.card.KeyUsageIgnoredException;
import org.cardrenew.agent.card.NoTokenException;
import org.cardrenew.agent.card.PinLockedException;
import org.cardrenew.agent.card.PinWarning;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.ServerNotTrustedException;
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

    /** The command's one JSON object on standard output: a report record, or a failure's fields. */
    void object(Object answer) {
        out.println(mapper.writeValueAsString(answer));
    }

    int usage(UsageException e) {
        return fail(FailureReport.of(ExitCode.USAGE, messages.get("error.usage", e.getMessage())));
    }

    int failure(Exception e, TokenOptions options) {
        if (e instanceof PinInput.NoPinException) {
            return fail(FailureReport.of(ExitCode.USAGE, messages.get("error.usage", e.getMessage())));
        }
        if (e instanceof WrongPinException w) {
            String text = messages.get("error.wrongPin");
            if (w.warning() == PinWarning.COUNT_LOW) {
                text += " " + messages.get("error.pinCountLow");
            } else if (w.warning() == PinWarning.FINAL_TRY) {
                text += " " + messages.get("error.pinFinalTry");
            }
            return fail(FailureReport.of(ExitCode.WRONG_PIN, text)
                    .withPinWarning(w.warning().name()));
        }
        if (e instanceof PinLockedException) {
            return fail(FailureReport.of(ExitCode.PIN_LOCKED, messages.get("error.pinLocked")));
        }
        if (e instanceof NoTokenException n) {
            Object arg = n.reason() == NoTokenException.Reason.LIBRARY_MISSING ? options.module : options.token;
            return fail(FailureReport.of(ExitCode.NO_TOKEN, messages.get("error.noToken." + n.reason(), arg))
                    .withReason(n.reason().name()));
        }
        if (e instanceof CardBusyException) {
            return fail(FailureReport.of(ExitCode.CARD_BUSY, messages.get("error.cardBusy"))
                    .withReason("CARD_BUSY"));
        }
        if (e instanceof CardFullException) {
            return fail(FailureReport.of(ExitCode.CARD_FULL, messages.get("error.cardFull"))
                    .withReason("CARD_FULL"));
        }
        if (e instanceof KeyUsageIgnoredException k) {
            return fail(FailureReport.of(
                            ExitCode.CARD_ERROR, messages.get("error.keyUsage", String.join(", ", k.ignored())))
                    .withReason("KEY_USAGE_IGNORED"));
        }
        if (e instanceof CardFailureException) {
            return fail(FailureReport.of(ExitCode.CARD_ERROR, messages.get("error.card", e.getMessage())));
        }
        if (e instanceof RenewalException r) {
            return fail(FailureReport.of(
                            ExitCode.CARD_ERROR, messages.get("error.card", messages.get("reason." + r.reason())))
                    .withReason(r.reason().name()));
        }
        if (e instanceof ServerNotTrustedException t) {
            return notTrusted(t, options instanceof CardOptions card ? card.caFile : null);
        }
        if (e instanceof RaRefusedException r) {
            return fail(FailureReport.of(
                            ExitCode.REFUSED,
                            messages.get("error.refused", r.code(), r.error().message()))
                    .withCode(r.code()));
        }
        if (e instanceof IOException) {
            return fail(FailureReport.of(ExitCode.NETWORK, messages.get("error.network", e.getMessage())));
        }
        return fail(FailureReport.of(ExitCode.UNEXPECTED, messages.get("error.unexpected", String.valueOf(e))));
    }

    /** The holder's sentence, then what the desktop team needs: the server, the reason, the presented chain, the roots. */
    private int notTrusted(ServerNotTrustedException e, Path caFile) {
        StringBuilder text = new StringBuilder(messages.get("error.notTrusted"));
        text.append(System.lineSeparator())
                .append(messages.get(
                        "error.notTrusted.detail",
                        e.server(),
                        e.reason(),
                        messages.get("tls." + e.reason()),
                        caFile == null ? messages.get("error.notTrusted.noCaFile") : caFile));
        List<FailureReport.Presented> chain = new ArrayList<>();
        int i = 0;
        for (ServerNotTrustedException.Presented certificate : e.chain()) {
            text.append(System.lineSeparator())
                    .append(messages.get(
                            "error.notTrusted.certificate", ++i, certificate.subject(), certificate.issuer()));
            chain.add(new FailureReport.Presented(certificate.subject(), certificate.issuer()));
        }
        return fail(FailureReport.of(ExitCode.SERVER_NOT_TRUSTED, text.toString())
                .withCode("SERVER_NOT_TRUSTED")
                .withReason(e.reason().name())
                .withServer(e.server().toString(), chain));
    }

    private int fail(FailureReport failure) {
        if (json) {
            object(failure);
        } else {
            err.println(failure.message());
        }
        return failure.exitCode();
    }

    /** The decryption history for people: one line per old key, or that there is none. */
    void sayHistory(List<CardEntry> history) {
        if (history.isEmpty()) {
            say("history.none");
            return;
        }
        say("history.header");
        for (CardEntry e : history) {
            say(
                    "history.entry",
                    serial(e.certificate()),
                    instant(e.certificate().getNotBefore().toInstant()),
                    instant(e.certificate().getNotAfter().toInstant()));
        }
    }

    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String serial(X509Certificate certificate) {
        return certificate == null ? null : certificate.getSerialNumber().toString(16);
    }
}
