package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateTimeTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1950-01-01T00:00:00Z",
                "1999-12-31T23:59:59Z",
                "2000-01-01T00:00:00Z",
                "2026-12-06T17:30:05Z",
                "2049-12-31T23:59:59Z",
                "2050-01-01T00:00:00Z",
                "2099-02-28T08:09:10Z",
                "1949-12-31T23:59:59Z"
            })
    void encodesAsBouncyCastlesDateConstructorDoes(String text) throws Exception {
        Instant at = Instant.parse(text);

        Time time = CertificateTime.of(at);

        assertThat(time.getEncoded()).isEqualTo(new Time(Date.from(at)).getEncoded());
        assertThat(time.getDate().toInstant()).isEqualTo(at);
        // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime before 1950 and from 2050.
        boolean utc = !at.isBefore(Instant.parse("1950-01-01T00:00:00Z"))
                && at.isBefore(Instant.parse("2050-01-01T00:00:00Z"));
        assertThat(time.toASN1Primitive()).isInstanceOf(utc ? ASN1UTCTime.class : ASN1GeneralizedTime.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T17:30:05.001Z", "2026-12-06T17:30:05.999999999Z"})
    void aTimeWithAFractionOfASecondIsRefused(String text) {
        assertThatThrownBy(() -> CertificateTime.of(Instant.parse(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds");
    }
}
