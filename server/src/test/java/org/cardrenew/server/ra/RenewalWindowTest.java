package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.store.PairStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenewalWindowTest {

    private static final Instant NOT_AFTER = Instant.parse("2027-06-30T15:59:59Z");
    private static final Duration WINDOW = Duration.ofDays(30);
    private static final Instant OPENS = NOT_AFTER.minus(WINDOW);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final RenewalWindow window = new RenewalWindow(WINDOW);

    static Stream<Arguments> statusTable() {
        return Stream.of(
                argumentSet(
                        "not-yet/one second before the window opens",
                        active(),
                        OPENS.minus(SECOND),
                        CertificateStatus.NOT_YET_RENEWABLE),
                argumentSet(
                        "not-yet/a year before expiry",
                        active(),
                        NOT_AFTER.minus(Duration.ofDays(365)),
                        CertificateStatus.NOT_YET_RENEWABLE),
                argumentSet("ok/at the instant the window opens", active(), OPENS, CertificateStatus.RENEWABLE),
                argumentSet(
                        "ok/inside the window",
                        active(),
                        NOT_AFTER.minus(Duration.ofDays(10)),
                        CertificateStatus.RENEWABLE),
                argumentSet("ok/at notAfter (validity is inclusive)", active(), NOT_AFTER, CertificateStatus.RENEWABLE),
                argumentSet(
                        "expired/one second after notAfter",
                        active(),
                        NOT_AFTER.plus(SECOND),
                        CertificateStatus.EXPIRED),
                argumentSet(
                        "revoked/inside the window",
                        new CertificateFacts(NOT_AFTER, true, PairStatus.ACTIVE, null),
                        NOT_AFTER.minus(Duration.ofDays(1)),
                        CertificateStatus.REVOKED),
                argumentSet(
                        "revoked/pair revoked",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.REVOKED, null),
                        OPENS.minus(SECOND),
                        CertificateStatus.REVOKED),
                argumentSet(
                        "revoked/even after expiry",
                        new CertificateFacts(NOT_AFTER, true, PairStatus.ACTIVE, null),
                        NOT_AFTER.plus(SECOND),
                        CertificateStatus.REVOKED),
                argumentSet(
                        "superseded/pair superseded",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.SUPERSEDED, RenewalState.COMPLETED),
                        OPENS,
                        CertificateStatus.ALREADY_RENEWED),
                argumentSet(
                        "superseded/after expiry too",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.SUPERSEDED, RenewalState.COMPLETED),
                        NOT_AFTER.plus(SECOND),
                        CertificateStatus.ALREADY_RENEWED),
                argumentSet(
                        "in-progress/requested",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.ACTIVE, RenewalState.REQUESTED),
                        OPENS,
                        CertificateStatus.RENEWAL_IN_PROGRESS),
                argumentSet(
                        "in-progress/issued",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.ACTIVE, RenewalState.ISSUED),
                        NOT_AFTER,
                        CertificateStatus.RENEWAL_IN_PROGRESS),
                argumentSet(
                        "in-progress/issued is resumable after expiry",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.ACTIVE, RenewalState.ISSUED),
                        NOT_AFTER.plus(SECOND),
                        CertificateStatus.RENEWAL_IN_PROGRESS),
                argumentSet(
                        "expired/requested but nothing issued before expiry",
                        new CertificateFacts(NOT_AFTER, false, PairStatus.ACTIVE, RenewalState.REQUESTED),
                        NOT_AFTER.plus(SECOND),
                        CertificateStatus.EXPIRED));
    }

    @ParameterizedTest
    @MethodSource("statusTable")
    void statusAtTheEdges(CertificateFacts facts, Instant now, CertificateStatus expected) {
        assertThat(window.statusOf(facts, now)).isEqualTo(expected);
    }

    @Test
    void windowOpensThirtyDaysBeforeNotAfterByDefault() {
        assertThat(window.opensAt(NOT_AFTER)).isEqualTo(Instant.parse("2027-05-31T15:59:59Z"));
    }

    private static CertificateFacts active() {
        return new CertificateFacts(NOT_AFTER, false, PairStatus.ACTIVE, null);
    }
}
