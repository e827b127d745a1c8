package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one mapping from a card's standing to the code a refused use answers: the agent and scripts key on these. */
class RefusalCodeTest {

    static Stream<Arguments> standings() {
        return Stream.of(
                argumentSet("fail/expired", CertificateStatus.EXPIRED, ErrorCode.CERTIFICATE_EXPIRED, 403),
                argumentSet("fail/revoked", CertificateStatus.REVOKED, ErrorCode.CERTIFICATE_REVOKED, 403),
                argumentSet(
                        "fail/not-yet-renewable",
                        CertificateStatus.NOT_YET_RENEWABLE,
                        ErrorCode.NOT_YET_RENEWABLE,
                        403),
                argumentSet("fail/already-renewed", CertificateStatus.ALREADY_RENEWED, ErrorCode.ALREADY_RENEWED, 409),
                argumentSet(
                        "fail/renewal-in-progress",
                        CertificateStatus.RENEWAL_IN_PROGRESS,
                        ErrorCode.RENEWAL_IN_PROGRESS,
                        409),
                argumentSet("fail/unknown", CertificateStatus.UNKNOWN, ErrorCode.CERTIFICATE_UNKNOWN, 403),
                // Never refused for being renewable: reaching this is a bug in the caller, not the holder's doing.
                argumentSet("bug/renewable", CertificateStatus.RENEWABLE, ErrorCode.INTERNAL_ERROR, 500));
    }

    @ParameterizedTest
    @MethodSource("standings")
    void standingIsRefusedWithItsCode(CertificateStatus standing, ErrorCode code, int httpStatus) {
        assertThat(RenewalWindow.refusalFor(standing)).isEqualTo(code);
        assertThat(code.httpStatus()).isEqualTo(httpStatus);
    }

    @Test
    void everyStandingIsInTheTable() {
        assertThat(standings().map(a -> a.get()[0])).containsExactlyInAnyOrder((Object[]) CertificateStatus.values());
    }
}
