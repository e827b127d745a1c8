package org.cardrenew.agent.bridge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.cardrenew.agent.renewal.PinPurpose;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.agent.report.RenewalReport;
import org.cardrenew.agent.report.StatusReport;
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
    private final Renewal renewal;
    private final Duration holderWait;
    private final Clock clock;
    private final Runnable release;

    private char[] loginPin;
    private char[] confirmPin;
    private SessionState state = SessionState.RUNNING;
    private RenewalStep step;
    private long version;
    private StatusResponse status;
    private RenewalReport result;
    private BridgeError error;
    private boolean decided;
    private boolean cancelRequested;
    private Instant finishedAt;

    /** The renewal the session runs: one {@link RenewalFlow#renew} on the card, reporting to the session. */
    interface Renewal {
        RenewalOutcome run(RenewalListener listener, PinSource pins) throws Exception;
    }

    RenewalSession(String token, Renewal renewal, char[] loginPin, Duration holderWait, Clock clock, Runnable release) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.token = token;
        this.renewal = renewal;
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
        Runnable ending;
        try {
            RenewalOutcome outcome = renewal.run(listener, listener);
            ending = () -> finish(outcome);
        } catch (Cancelled c) {
            ending = () -> end(SessionState.CANCELLED, BridgeError.of("CANCELLED", c.getMessage()));
        } catch (Exception e) {
            ending = () -> end(SessionState.FAILED, BridgeError.of(e));
        } catch (Error e) {
            // An Error (out of memory, a LinkageError from the PKCS#11 library) must still end the session, or
            // the page would wait for it forever. Nothing is retried: the holder starts again.
            ending = () -> end(SessionState.FAILED, BridgeError.of(e));
        } finally {
            zeroPins();
            release.run();
        }
        // The card is closed and free before the page hears of the end: the holder's next operation on it (removing
        // an old decryption key right after the renewal) must not find it busy.
        ending.run();
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
    synchronized SessionReport awaitChange(long seen, Duration max) throws InterruptedException {
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
    synchronized SessionReport snapshot() {
        return new SessionReport(
                id, token, state, step, version, status == null ? null : StatusReport.of(status), result, error);
    }

    private synchronized void finish(RenewalOutcome outcome) {
        result = RenewalReport.of(outcome);
        end(
                outcome.result() == RenewalOutcome.Result.NOT_RENEWABLE
                        ? SessionState.NOT_RENEWABLE
                        : SessionState.RENEWED,
                null);
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
    private void awaitHolder(SessionState waiting, BooleanSupplier done) {
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
                // Viewing the status changes nothing: a step that changes the card or has the CA issue waits for the
                // holder's go.
                if (started.changesCardOrIssues() && !decided) {
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
}
