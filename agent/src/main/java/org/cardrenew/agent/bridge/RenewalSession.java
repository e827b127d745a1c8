package org.cardrenew.agent.bridge;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.renewal.PinPurpose;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.StatusResponse;

/**
 * One holder's visit, run on its own thread as one {@link RenewalFlow#renew} against the RA of the page's
 * origin: login, status, then a pause ({@link SessionState#DECIDE}) until the holder presses "renew" — so
 * viewing the status changes nothing on the card — then keys, CA, and a second pause
 * ({@link SessionState#CONFIRM_PIN}) for the PIN that confirms the write. The flow's resume logic decides
 * what an interrupted renewal still needs. The login PIN is handed to the card once and zeroed; a wrong PIN
 * ends the session (never retried). The session holds its token for its whole life.
 */
final class RenewalSession implements Runnable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String token;
    private final URI ra;
    private final String language;
    private final Path module;
    private final Duration holderWait;
    private final Clock clock;
    private final Runnable release;

    private char[] loginPin;
    private char[] confirmPin;
    private SessionState state = SessionState.RUNNING;
    private RenewalStep step;
    private long version;
    private StatusResponse status;
    private Map<String, Object> result;
    private BridgeError error;
    private boolean decided;
    private boolean cancelRequested;
    private Instant finishedAt;

    RenewalSession(String token, URI ra, String language, Path module, char[] loginPin, Duration holderWait, Clock clock,
            Runnable release) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.token = token;
        this.ra = ra;
        this.language = language;
        this.module = module;
        this.loginPin = loginPin;
        this.holderWait = holderWait;
        this.clock = clock;
        this.release = release;
    }

    String id() {
        return id;
    }

    @Override
    public void run() {
        Listener listener = new Listener();
        try (Card card = Card.open(module, token)) {
            RenewalOutcome outcome = new RenewalFlow(new RaClient(ra, language), listener).renew(card, listener, null);
            finish(outcome);
        } catch (Cancelled c) {
            end(SessionState.CANCELLED, BridgeError.of("CANCELLED", c.getMessage()));
        } catch (Exception e) {
            end(SessionState.FAILED, BridgeError.of(e));
        } finally {
            zeroPins();
            release.run();
        }
    }

    /** The holder pressed "renew" (or "resume"). */
    synchronized boolean proceed() {
        if (state != SessionState.DECIDE) {
            return false;
        }
        decided = true;
        changed();
        return true;
    }

    /** The second PIN, confirming the write; the session zeroes it after the card has it. */
    synchronized boolean confirm(char[] pin) {
        if (state != SessionState.CONFIRM_PIN || confirmPin != null) {
            return false;
        }
        confirmPin = pin;
        changed();
        return true;
    }

    /** Cancels while the session waits for the holder, or before the card is changed; false once it is being changed. */
    synchronized boolean cancel() {
        if (state.isFinal()) {
            return true;
        }
        if (state == SessionState.RUNNING && decided) {
            return false;
        }
        cancelRequested = true;
        changed();
        return true;
    }

    synchronized long version() {
        return version;
    }

    synchronized boolean isFinal() {
        return state.isFinal();
    }

    synchronized Instant finishedAt() {
        return finishedAt;
    }

    /** Waits until the session changes past {@code seen}, at most {@code max}; then its snapshot. */
    synchronized Map<String, Object> awaitChange(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (version <= seen && !state.isFinal()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return snapshot();
    }

    /** What the page sees: never the renewal token, never a PIN. */
    synchronized Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("token", token);
        s.put("state", state.name());
        s.put("step", step == null ? null : step.name());
        s.put("version", version);
        s.put("status", status == null ? null : statusJson(status));
        s.put("result", result);
        s.put("error", error == null ? null : error.json());
        return s;
    }

    static Map<String, Object> statusJson(StatusResponse status) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status.status() == null ? null : status.status().name());
        s.put("subject", status.subject());
        s.put("certificateSerial", status.certificateSerial());
        s.put("notBefore", text(status.notBefore()));
        s.put("notAfter", text(status.notAfter()));
        s.put("renewalWindowOpens", text(status.renewalWindowOpens()));
        s.put("renewalId", status.renewalId());
        s.put("renewalState", status.renewalState() == null ? null : status.renewalState().name());
        s.put("message", status.message());
        return s;
    }

    private synchronized void finish(RenewalOutcome outcome) {
        if (outcome.result() == RenewalOutcome.Result.NOT_RENEWABLE) {
            end(SessionState.NOT_RENEWABLE, null);
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("renewalId", outcome.renewalId());
        r.put("resumed", outcome.resumed());
        Map<String, Object> previous = new LinkedHashMap<>();
        previous.put("notBefore", text(outcome.status().notBefore()));
        previous.put("notAfter", text(outcome.previousNotAfter() != null ? outcome.previousNotAfter() : outcome.status().notAfter()));
        Map<String, Object> renewed = new LinkedHashMap<>();
        renewed.put("notBefore", text(outcome.notBefore()));
        renewed.put("notAfter", text(outcome.notAfter()));
        r.put("previous", previous);
        r.put("renewed", renewed);
        r.put("signingCertificateSerial", serial(outcome.signingCertificate()));
        r.put("encryptionCertificateSerial", serial(outcome.encryptionCertificate()));
        result = r;
        end(SessionState.RENEWED, null);
    }

    private synchronized void end(SessionState finalState, BridgeError failure) {
        state = finalState;
        error = failure;
        finishedAt = clock.instant();
        changed();
    }

    private void changed() {
        version++;
        notifyAll();
    }

    private synchronized void zeroPins() {
        if (loginPin != null) {
            Arrays.fill(loginPin, '\0');
            loginPin = null;
        }
        if (confirmPin != null) {
            Arrays.fill(confirmPin, '\0');
            confirmPin = null;
        }
    }

    /** Waits for the holder while the state says what for; throws {@link Cancelled} on cancel or time-out. */
    private void awaitHolder(SessionState waiting, java.util.function.BooleanSupplier done) {
        state = waiting;
        changed();
        long deadline = System.nanoTime() + holderWait.toNanos();
        try {
            while (!done.getAsBoolean() && !cancelRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new Cancelled("the holder did not answer in time");
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled("the bridge is stopping");
        }
        if (cancelRequested) {
            throw new Cancelled("cancelled by the holder");
        }
        state = SessionState.RUNNING;
        changed();
    }

    /** Progress and the holder's two pauses, as the flow's listener and PIN source. */
    private final class Listener implements RenewalListener, PinSource {

        @Override
        public void stepStarted(RenewalStep started) {
            synchronized (RenewalSession.this) {
                if (cancelRequested && !decided) {
                    throw new Cancelled("cancelled by the holder");
                }
                // Everything after STATUS changes the card or asks the CA: only on the holder's go.
                if (started.ordinal() > RenewalStep.STATUS.ordinal() && !decided && started != RenewalStep.DONE) {
                    step = started;
                    awaitHolder(SessionState.DECIDE, () -> decided);
                }
                step = started;
                changed();
            }
        }

        @Override
        public void statusReceived(StatusResponse answer) {
            synchronized (RenewalSession.this) {
                status = answer;
                changed();
            }
        }

        @Override
        public char[] pin(PinPurpose purpose) {
            synchronized (RenewalSession.this) {
                if (purpose == PinPurpose.LOGIN) {
                    char[] pin = loginPin;
                    loginPin = null;
                    if (pin == null) {
                        // A flow asks for the login PIN once; asking again would be a retry.
                        throw new IllegalStateException("the login PIN was already used");
                    }
                    return pin;
                }
                awaitHolder(SessionState.CONFIRM_PIN, () -> confirmPin != null);
                char[] pin = confirmPin;
                confirmPin = null;
                return pin;
            }
        }
    }

    /** The holder cancelled, or did not answer in time. */
    static final class Cancelled extends RuntimeException {
        Cancelled(String message) {
            super(message);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String serial(X509Certificate certificate) {
        return certificate == null ? null : certificate.getSerialNumber().toString(16);
    }
}
