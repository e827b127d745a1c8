package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialNumbersTest {

    @TempDir
    Path dir;

    @Test
    void thousandIssuedSerialsAreDistinctPositiveAndAtMostTwentyOctets() throws Exception {
        EmbeddedCa ca = CaFixture.pkcs12Ca(dir, CaKeyType.P256, PublicationUrls.NONE);
        PublicKey key = CaFixture.ecKey("secp256r1");
        List<BigInteger> serials = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            IssuedCertificate issued = ca.issue(CaFixture.request(key, CertificateProfile.SIGNING));
            assertThat(issued.certificate().getSerialNumber())
                    .isEqualTo(issued.serial().value());
            serials.add(issued.serial().value());
        }

        assertThat(new HashSet<>(serials)).hasSize(1000);
        // RFC 5280 §4.1.2.2: positive, at most 20 octets as a DER INTEGER (content octets).
        assertThat(serials).allSatisfy(s -> {
            assertThat(s.signum()).isPositive();
            assertThat(s.toByteArray().length).isLessThanOrEqualTo(20);
        });
    }

    @Test
    void serialBitLengthsShowTheFullRandomWidth() {
        RandomSerials random = new RandomSerials();
        List<Integer> bitLengths = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bitLengths.add(random.next().value().bitLength());
        }

        // 127 random bits (16 bytes, sign bit cleared): about half reach 127 bits, and a value below 64 bits has
        // probability 2^-63 per draw. CA/B Forum BR §7.1 asks for at least 64 bits from a CSPRNG.
        assertThat(bitLengths).allSatisfy(bits -> assertThat(bits).isBetween(64, 127));
        assertThat(bitLengths).contains(127);
        assertThat(bitLengths.stream().filter(b -> b == 127).count()).isBetween(350L, 650L);
    }

    @Test
    void serialIsWrittenAsLowerCaseHexWithoutLeadingZeros() {
        SerialNumber serial = SerialNumber.ofHex("00AB01");

        assertThat(serial.hex()).isEqualTo("ab01");
    }
}
