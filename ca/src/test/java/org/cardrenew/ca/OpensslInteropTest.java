package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** openssl, an independent implementation, accepts our chain and reads our profiles as intended. */
class OpensslInteropTest {

    private static final PublicationUrls URLS = new PublicationUrls(
            URI.create("http://pki.example.gov.tw/crl/issuing.crl"),
            URI.create("http://pki.example.gov.tw/ocsp"),
            URI.create("http://pki.example.gov.tw/ca/issuing.cer"));
    /** Inside every certificate's validity: verification does not depend on the machine's clock. */
    private static final Instant VERIFY_AT = CaFixture.NOW.plusSeconds(86400);

    @TempDir
    static Path dir;

    private static EmbeddedCa rsaCa;
    private static EmbeddedCa ecCa;

    @BeforeAll
    static void createCas() {
        rsaCa = CaFixture.pkcs12Ca(dir.resolve("rsa"), CaKeyType.RSA_2048, URLS);
        ecCa = CaFixture.pkcs12Ca(dir.resolve("ec"), CaKeyType.P384, PublicationUrls.NONE);
    }

    static Stream<Arguments> certificates() {
        return Stream.of(
                Arguments.of(
                        Named.of("rsa2048-ca/signing/rsa2048", "rsa"),
                        CaFixture.rsaKey(2048),
                        CertificateProfile.SIGNING,
                        "Digital Signature, Non Repudiation"),
                Arguments.of(
                        Named.of("rsa2048-ca/encryption/rsa2048", "rsa"),
                        CaFixture.rsaKey(2048),
                        CertificateProfile.ENCRYPTION,
                        "Key Encipherment, Data Encipherment"),
                Arguments.of(
                        Named.of("p384-ca/signing/p256", "ec"),
                        CaFixture.ecKey("secp256r1"),
                        CertificateProfile.SIGNING,
                        "Digital Signature, Non Repudiation"),
                Arguments.of(
                        Named.of("p384-ca/encryption/p384", "ec"),
                        CaFixture.ecKey("secp384r1"),
                        CertificateProfile.ENCRYPTION,
                        "Key Agreement"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void opensslVerifiesTheHolderCertificateAgainstTheChainAndReadsItsKeyUsage(
            String caName, PublicKey key, CertificateProfile profile, String keyUsage) throws Exception {
        EmbeddedCa ca = caName.equals("rsa") ? rsaCa : ecCa;
        X509Certificate holder = ca.issue(CaFixture.request(key, profile)).certificate();
        Path root = pem(ca.chain().get(1), "root-" + caName + ".pem");
        Path issuing = pem(ca.chain().get(0), "issuing-" + caName + ".pem");
        Path leaf = pem(holder, "holder-" + profile + "-" + caName + ".pem");

        String verify = Tools.run(
                List.of(
                        "openssl",
                        "verify",
                        "-x509_strict",
                        "-attime",
                        Long.toString(VERIFY_AT.getEpochSecond()),
                        "-CAfile",
                        root.toString(),
                        "-untrusted",
                        issuing.toString(),
                        leaf.toString()),
                Map.of());
        assertThat(verify.strip()).isEqualTo(leaf + ": OK");

        String text = Tools.run(List.of("openssl", "x509", "-noout", "-text", "-in", leaf.toString()), Map.of());
        assertThat(text)
                .contains("X509v3 Key Usage: critical" + System.lineSeparator() + "                " + keyUsage
                        + System.lineSeparator());
        assertThat(text)
                .contains("X509v3 Basic Constraints: critical" + System.lineSeparator() + "                CA:FALSE");
        assertThat(text).contains("X509v3 Subject Key Identifier").contains("X509v3 Authority Key Identifier");
    }

    @Test
    void opensslReadsTheConfiguredUrlsAndTheChineseSubject() throws Exception {
        Path leaf = pem(
                rsaCa.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                        .certificate(),
                "holder-urls.pem");

        String text = Tools.run(
                List.of(
                        "openssl",
                        "x509",
                        "-noout",
                        "-text",
                        "-nameopt",
                        "utf8,sep_comma_plus",
                        "-in",
                        leaf.toString()),
                Map.of());

        assertThat(text).contains("Subject: C=TW,O=行政院人事行政總處,CN=王小明,serialNumber=A123456789");
        assertThat(text)
                .contains("X509v3 CRL Distribution Points")
                .contains("URI:http://pki.example.gov.tw/crl/issuing.crl");
        assertThat(text)
                .contains("OCSP - URI:http://pki.example.gov.tw/ocsp")
                .contains("CA Issuers - URI:http://pki.example.gov.tw/ca/issuing.cer");
    }

    @Test
    void opensslOpensTheCaKeystoreWithTheConfiguredPassword() {
        String info = Tools.run(
                List.of(
                        "openssl",
                        "pkcs12",
                        "-in",
                        dir.resolve("rsa/ca.p12").toString(),
                        "-passin",
                        "env:CA_PASSWORD",
                        "-nokeys"),
                Map.of("CA_PASSWORD", new String(CaFixture.PASSWORD)));

        assertThat(info)
                .contains("friendlyName: " + EmbeddedCa.ROOT_ALIAS)
                .contains("friendlyName: " + EmbeddedCa.ISSUING_ALIAS);
    }

    private static Path pem(X509Certificate certificate, String name) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return Files.writeString(dir.resolve(name), text.toString());
    }
}
