package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.EnrollmentProperties;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The validity an enrollment asks for (EnrollmentService.validity), before anything is looked up or issued. */
class EnrollmentValidityTest {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration LENGTH = Duration.ofDays(730);
    private static final EnrollmentProperties EXPLICIT_ALLOWED = new EnrollmentProperties(true, LENGTH);

    @Test
    void withoutExplicitEndsTheConfiguredLengthStartsNow() {
        Validity validity = EnrollmentService.validity(request(null, null), NOW, EXPLICIT_ALLOWED);

        assertThat(validity).isEqualTo(new Validity(NOW, NOW.plus(LENGTH)));
    }

    @Test
    void aMissingEndIsTheConfiguredLengthFromTheOther() {
        Instant notAfter = NOW.plus(Duration.ofDays(20));

        assertThat(EnrollmentService.validity(request(null, notAfter), NOW, EXPLICIT_ALLOWED))
                .isEqualTo(new Validity(notAfter.minus(LENGTH), notAfter));
        assertThat(EnrollmentService.validity(request(NOW, null), NOW, EXPLICIT_ALLOWED))
                .isEqualTo(new Validity(NOW, NOW.plus(LENGTH)));
    }

    @Test
    void explicitEndsAreRefusedUnlessConfigured() {
        RaException refused = catchThrowableOfType(
                RaException.class,
                () -> EnrollmentService.validity(
                        request(NOW, NOW.plusSeconds(60)), NOW, new EnrollmentProperties(false, LENGTH)));

        assertThat(refused.code()).isEqualTo(ErrorCode.EXPLICIT_VALIDITY_NOT_ALLOWED);
    }

    /**
     * Ends no certificate can encode (RFC 5280 §4.1.2.5) were answered HTTP 500: the missing end was computed with
     * Instant arithmetic that overflows at Instant.MIN / MAX (DateTimeException).
     */
    @ParameterizedTest
    @MethodSource("unencodable")
    void endsACertificateCannotEncodeAreRefusedAsInvalid(Instant notBefore, Instant notAfter) {
        RaException refused = catchThrowableOfType(
                RaException.class,
                () -> EnrollmentService.validity(request(notBefore, notAfter), NOW, EXPLICIT_ALLOWED));

        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.VALIDITY_INVALID);
    }

    static Stream<Arguments> unencodable() {
        return Stream.of(
                Arguments.of(Named.of("notAfter Instant.MIN, no notBefore", null), Instant.MIN),
                Arguments.of(Named.of("notBefore Instant.MAX, no notAfter", Instant.MAX), null),
                Arguments.of(Named.of("notBefore before 1950", Instant.parse("1949-12-31T23:59:59Z")), NOW),
                Arguments.of(Named.of("notAfter after 9999", NOW), Instant.parse("+10000-01-01T00:00:00Z")),
                Arguments.of(Named.of("notBefore computed before 1950", null), Instant.parse("1950-06-01T00:00:00Z")),
                Arguments.of(Named.of("inverted", NOW), NOW.minusSeconds(1)));
    }

    private static EnrollmentRequest request(Instant notBefore, Instant notAfter) {
        return new EnrollmentRequest("F123456789", "Holder", "Agency", null, "en", "csr", "csr", notBefore, notAfter);
    }
}
