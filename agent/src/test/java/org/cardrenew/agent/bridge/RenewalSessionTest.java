package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.cardrenew.agent.renewal.PinPurpose;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.StatusResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session's own life, with a scripted renewal in place of the card: an Error thrown inside the PKCS#11 layer
 * or the JVM cannot be provoked on a real card, and the holder's pauses are the session's, not the flow's.
 */
class RenewalSessionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final StatusResponse RENEWABLE = new StatusResponse(
            CertificateStatus.RENEWABLE,
            null,
            "1a",
            Instant.parse("2024-12-10T00:00:00Z"),
            Instant.parse("2026-12-10T00:00:00Z"),
            null,
            "token",
            null,
            null,
            null,
            "ok");

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(named("out of memory", new OutOfMemoryError("Java heap space"))),
                Arguments.of(named(
                        "PKCS#11 library not linkable", new UnsatisfiedLinkError("libsofthsm2.so: undefined symbol"))),
                Arguments.of(named(
                        "class missing at run time", new NoClassDefFoundError("sun/security/pkcs11/wrapper/PKCS11"))),
                Arguments.of(named("stack overflow", new StackOverflowError())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void anErrorEndsTheSessionFailedFreesTheCardAndZeroesThePin(Error error) {
        AtomicBoolean released = new AtomicBoolean();
        char[] pin = "123456".toCharArray();
        RenewalSession session = new RenewalSession(
                "card",
                (listener, pins) -> {
                    listener.stepStarted(RenewalStep.CHALLENGE);
                    throw error;
                },
                pin,
                WAIT,
                CLOCK,
                () -> released.set(true));

        session.run();

        SessionReport report = session.snapshot();
        assertThat(report.state()).isEqualTo(SessionState.FAILED);
        assertThat(report.error().code()).isEqualTo("UNEXPECTED");
        assertThat(report.error().message()).isEqualTo(error.getClass().getSimpleName());
        assertThat(session.isFinal()).isTrue();
        assertThat(session.finishedAt()).isEqualTo(CLOCK.instant());
        assertThat(released).isTrue();
        assertThat(pin).containsOnly('\0');
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void theCardIsFreeBeforeThePageSeesTheEnd(RenewalSession.Renewal renewal) {
        List<Boolean> finalWhenReleased = new ArrayList<>();
        RenewalSession[] session = new RenewalSession[1];
        session[0] = new RenewalSession(
                "card",
                renewal,
                "123456".toCharArray(),
                WAIT,
                CLOCK,
                () -> finalWhenReleased.add(session[0].isFinal()));

        session[0].run();

        // A page that sees the end and at once removes an old key (the same card) must not get TOKEN_BUSY.
        assertThat(finalWhenReleased).containsExactly(false);
        assertThat(session[0].isFinal()).isTrue();
    }

    static Stream<Arguments> endings() {
        RenewalSession.Renewal notRenewable = (listener, pins) ->
                new RenewalOutcome(RenewalOutcome.Result.NOT_RENEWABLE, RENEWABLE, null, null, null, null, false);
        RenewalSession.Renewal failed = (listener, pins) -> {
            throw new java.io.IOException("connection reset");
        };
        return Stream.of(Arguments.of(named("ended", notRenewable)), Arguments.of(named("failed", failed)));
    }

    @Test
    void theSessionWaitsForTheHoldersGoBeforeTheFirstStepThatChangesTheCard() throws Exception {
        List<RenewalStep> started = new ArrayList<>();
        RenewalSession session = new RenewalSession(
                "card",
                (listener, pins) -> {
                    for (RenewalStep step : List.of(
                            RenewalStep.CHALLENGE, RenewalStep.LOGIN, RenewalStep.READ_CARD, RenewalStep.STATUS)) {
                        listener.stepStarted(step);
                        started.add(step);
                    }
                    pins.pin(PinPurpose.LOGIN);
                    listener.statusReceived(RENEWABLE);
                    listener.stepStarted(RenewalStep.GENERATE_KEYS);
                    started.add(RenewalStep.GENERATE_KEYS);
                    return new RenewalOutcome(
                            RenewalOutcome.Result.NOT_RENEWABLE, RENEWABLE, null, null, null, null, false);
                },
                "123456".toCharArray(),
                WAIT,
                CLOCK,
                () -> {});
        Thread worker = new Thread(session);
        worker.start();

        SessionReport deciding = awaitState(session, SessionState.DECIDE);
        assertThat(deciding.step()).isEqualTo(RenewalStep.GENERATE_KEYS);
        assertThat(started)
                .containsExactly(RenewalStep.CHALLENGE, RenewalStep.LOGIN, RenewalStep.READ_CARD, RenewalStep.STATUS);
        assertThat(deciding.status().status()).isEqualTo(CertificateStatus.RENEWABLE);

        assertThat(session.proceed()).isTrue();
        worker.join(WAIT.toMillis());
        assertThat(started).endsWith(RenewalStep.GENERATE_KEYS);
        assertThat(session.snapshot().state()).isEqualTo(SessionState.NOT_RENEWABLE);
    }

    @Test
    void onlyStepsThatChangeTheCardOrHaveTheCaIssueWaitForTheHolder() {
        assertThat(Stream.of(RenewalStep.values()).filter(RenewalStep::changesCardOrIssues))
                .containsExactly(
                        RenewalStep.GENERATE_KEYS,
                        RenewalStep.CREATE_CSRS,
                        RenewalStep.SEND_TO_CA,
                        RenewalStep.WRITE_TO_CARD,
                        RenewalStep.VERIFY,
                        RenewalStep.CONFIRM,
                        RenewalStep.DELETE_OLD);
    }

    private static SessionReport awaitState(RenewalSession session, SessionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        SessionReport report = session.snapshot();
        while (report.state() != wanted && System.nanoTime() < deadline) {
            report = session.awaitChange(report.version(), Duration.ofMillis(200));
        }
        assertThat(report.state()).isEqualTo(wanted);
        return report;
    }
}
