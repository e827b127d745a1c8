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

    @ParameterizedTest
    @MethodSource("providers")
    void anRsaSignatureIsCheckedOverWhatWasSignedAndAWrongKeyNeverHandsOutACertificate(CryptoProviders providers)
            throws Exception {
        KeyPair certified = rsa2048();
        X509Certificate caCertificate = selfSigned(certified, "SHA256withRSA");
        CaSigner signer = new CaSigner(certified.getPrivate(), caCertificate, null, providers);
        org.bouncycastle.cert.X509CertificateHolder signed = signer.signChecked(leaf(caCertificate, p256()));
        X509Certificate parsed = new JcaX509CertificateConverter().getCertificate(signed);
        parsed.verify(caCertificate.getPublicKey()); // the JDK agrees with the check

        // A CA key that is not the certified one (an RSA key is not matched when the store opens): every signature
        // fails its check, before any certificate leaves the CA.
        CaSigner wrong = new CaSigner(rsa2048().getPrivate(), caCertificate, null, providers);
        assertThatThrownBy(() -> wrong.signChecked(leaf(caCertificate, p256())))
                .isInstanceOf(java.security.SignatureException.class)
                .hasMessageContaining("does not verify");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anIssuedCertificateCarriesWhatTheParsedCertificateSays(CryptoProviders providers) throws Exception {
        KeyPair certified = rsa2048();
        X509Certificate caCertificate = selfSigned(certified, "SHA256withRSA");
        CaSigner signer = new CaSigner(certified.getPrivate(), caCertificate, null, providers);
        KeyPair holder = p256();
        IssuedCertificate issued = new IssuedCertificate(
                signer.signChecked(leaf(caCertificate, holder)),
                new SerialNumber(BigInteger.TWO),
                NOW,
                NOW.plusSeconds(3_600));

        X509Certificate parsed = issued.certificate();
        assertThat(issued.der()).isEqualTo(parsed.getEncoded());
        assertThat(issued.subject()).isEqualTo(parsed.getSubjectX500Principal());
        assertThat(issued.notBefore()).isEqualTo(parsed.getNotBefore().toInstant());
        assertThat(issued.notAfter()).isEqualTo(parsed.getNotAfter().toInstant());
        assertThat(issued.subjectPublicKeyInfo())
                .isEqualTo(parsed.getPublicKey().getEncoded())
                .isEqualTo(holder.getPublic().getEncoded());
        assertThat(issued.certificate()).as("parsed once").isSameAs(parsed);
    }

    private static org.bouncycastle.cert.X509v3CertificateBuilder leaf(X509Certificate issuer, KeyPair subject) {
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.TWO,
                Date.from(NOW),
                Date.from(NOW.plusSeconds(3_600)),
                new javax.security.auth.x500.X500Principal("CN=Holder, O=Agency, C=TW"),
                subject.getPublic());
    }

    private static KeyPair rsa2048() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        return selfSigned(keys, "SHA256withECDSA");
    }

    private static X509Certificate selfSigned(KeyPair keys, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=Test CA");
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.TEN,
                                Date.from(NOW),
                                Date.from(NOW.plusSeconds(86_400)),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }
}
