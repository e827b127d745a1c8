package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class SoftwareKeysTest {

    @Test
    void theCertifiedKeyIsTheCertificatesSubjectPublicKeyInfo() throws Exception {
        KeyPair ca = p256();
        KeyPair holder = p256();
        String certificate = Base64.getEncoder().encodeToString(certificate(ca, holder));

        assertThat(SoftwareKeys.certifiedKey(certificate))
                .isEqualTo(holder.getPublic().getEncoded());
        assertThat(SoftwareKeys.certifiedKey(certificate))
                .isNotEqualTo(ca.getPublic().getEncoded());
    }

    @Test
    void anUnreadableCertificateIsAnError() {
        assertThatThrownBy(() -> SoftwareKeys.certifiedKey(Base64.getEncoder().encodeToString(new byte[] {48, 3, 1})))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unreadable certificate");
    }

    private static byte[] certificate(KeyPair ca, KeyPair holder) throws Exception {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        return new JcaX509v3CertificateBuilder(
                        new X500Name("CN=Bench CA"),
                        BigInteger.TEN,
                        Date.from(now),
                        Date.from(now.plus(21, ChronoUnit.DAYS)),
                        new X500Name("CN=Holder"),
                        holder.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()))
                .getEncoded();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
