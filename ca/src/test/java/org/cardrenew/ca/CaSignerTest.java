package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CaSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    /** Both paths of a software key: native crypto (the key translated once) and the JDK's providers. */
    static Stream<Named<CryptoProviders>> providers() {
        return Stream.of(
                Named.of("native crypto on", CryptoProviders.create(true)),
                Named.of("native crypto off", CryptoProviders.create(false)));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aSoftwareEcKeyThatDoesNotBelongToItsCertificateIsRefusedWhenTheStoreIsOpened(CryptoProviders providers)
            throws Exception {
        KeyPair certified = p256();
        X509Certificate certificate = selfSigned(certified);

        assertThatThrownBy(() -> new CaSigner(p256().getPrivate(), certificate, null, providers))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(CaUnavailableException.Problem.CA_INVALID))
                .hasMessageContaining("does not belong to its certificate");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aSoftwareEcKeyThatBelongsToItsCertificateIsAccepted(CryptoProviders providers) throws Exception {
        KeyPair certified = p256();
        CaSigner signer = new CaSigner(certified.getPrivate(), selfSigned(certified), null, providers);
        assertThat(signer.keyType()).isEqualTo(CaKeyType.P256);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=Test CA");
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.TEN,
                                Date.from(NOW),
                                Date.from(NOW.plusSeconds(86_400)),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
