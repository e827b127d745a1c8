package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuing CA's CRL (RFC 5280 §5), checked by openssl crl and openssl verify -crl_check. */
class CrlIssuerTest {

    private static final PublicationUrls URLS = new PublicationUrls(
            URI.create("http://pki.example.gov.tw/crl/issuing.crl"),
            URI.create("http://pki.example.gov.tw/ocsp"),
            null);
    private static final Instant THIS_UPDATE = CaFixture.NOW.plusSeconds(3600);
    private static final Instant NEXT_UPDATE = THIS_UPDATE.plus(Duration.ofDays(1));

    @TempDir
    static Path dir;

    private static EmbeddedCa ca;
    private static X509Certificate good;
    private static X509Certificate compromised;
    private static X509Certificate superseded;
    private static X509CRL crl;

    @BeforeAll
    static void issueAndRevoke() throws Exception {
        ca = CaFixture.pkcs12Ca(dir, CaKeyType.P256, URLS);
        good = issue();
        compromised = issue();
        superseded = issue();
        crl = ca.issueCrl(new CrlContent(
                BigInteger.valueOf(42),
                THIS_UPDATE,
                NEXT_UPDATE,
                List.of(
                        new RevokedCertificate(
                                serial(compromised), CaFixture.NOW.plusSeconds(60), RevocationReason.KEY_COMPROMISE),
                        new RevokedCertificate(
                                serial(superseded), CaFixture.NOW.plusSeconds(120), RevocationReason.UNSPECIFIED))));
    }

    @Test
    void crlCarriesNumberAuthorityKeyIdentifierUpdatesAndEntries() throws Exception {
        crl.verify(ca.chain().get(0).getPublicKey());
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.chain().get(0).getSubjectX500Principal());
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(THIS_UPDATE);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NEXT_UPDATE);
        assertThat(ASN1Integer.getInstance(
                                ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                                        .getOctets())
                        .getValue())
                .isEqualTo(42);
        assertThat(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .isNotNull();
        assertThat(crl.isRevoked(good)).isFalse();
        assertThat(crl.isRevoked(compromised)).isTrue();
        X509CRLEntry entry = crl.getRevokedCertificate(compromised);
        assertThat(entry.getRevocationReason()).hasToString("KEY_COMPROMISE");
        // RFC 5280 §5.3.1: reasonCode "unspecified" SHOULD be absent.
        assertThat(crl.getRevokedCertificate(superseded).getExtensionValue(Extension.reasonCode.getId()))
                .isNull();
    }

    @Test
    void opensslReadsTheCrl() throws Exception {
        Path file = PemFiles.write(dir.resolve("issuing.crl.pem"), crl);

        String text = Tools.run(List.of("openssl", "crl", "-noout", "-text", "-in", file.toString()), Map.of());

        assertThat(text)
                .contains("Version 2 (0x1)")
                .contains("X509v3 CRL Number: " + System.lineSeparator() + "                42")
                .contains("X509v3 Authority Key Identifier")
                .contains("Next Update: ")
                .contains("Serial Number: " + evenHex(compromised))
                .contains("Key Compromise");
    }

    @Test
    void opensslVerifyWithCrlCheckRefusesTheRevokedAndAcceptsTheGoodCertificate() throws Exception {
        Path crlFile = PemFiles.write(dir.resolve("verify.crl.pem"), crl);
        Path root = PemFiles.write(dir.resolve("root.pem"), ca.chain().get(1));
        Path issuing = PemFiles.write(dir.resolve("issuing.pem"), ca.chain().get(0));
        Path goodFile = PemFiles.write(dir.resolve("good.pem"), good);
        Path revokedFile = PemFiles.write(dir.resolve("revoked.pem"), compromised);
        List<String> verify = List.of(
                "openssl",
                "verify",
                "-crl_check",
                "-attime",
                Long.toString(THIS_UPDATE.plusSeconds(60).getEpochSecond()),
                "-CAfile",
                root.toString(),
                "-untrusted",
                issuing.toString(),
                "-CRLfile",
                crlFile.toString());

        assertThat(Tools.run(concat(verify, goodFile.toString()), Map.of()).strip())
                .isEqualTo(goodFile + ": OK");
        Tools.Result revoked = Tools.execute(concat(verify, revokedFile.toString()), Map.of(), null);
        assertThat(revoked.exitCode()).isNotZero();
        assertThat(revoked.output()).contains("certificate revoked");
    }

    @Test
    void anEmptyCrlIsValidToo() throws Exception {
        X509CRL empty = ca.issueCrl(new CrlContent(BigInteger.ONE, THIS_UPDATE, NEXT_UPDATE, List.of()));

        assertThat(empty.getRevokedCertificates()).isNull();
        String text = Tools.run(
                List.of(
                        "openssl",
                        "crl",
                        "-noout",
                        "-text",
                        "-in",
                        PemFiles.write(dir.resolve("empty.crl.pem"), empty).toString()),
                Map.of());
        assertThat(text).contains("No Revoked Certificates.");
    }

    @Test
    void nextUpdateMustFollowThisUpdate() {
        assertThatThrownBy(() -> new CrlContent(BigInteger.ONE, THIS_UPDATE, THIS_UPDATE, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CrlContent(BigInteger.ONE.shiftLeft(160), THIS_UPDATE, NEXT_UPDATE, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 octets");
    }

    @Test
    void reasonsAreKnownByCodeAndByRfcName() {
        assertThat(RevocationReason.of("keyCompromise")).isEqualTo(RevocationReason.KEY_COMPROMISE);
        assertThat(RevocationReason.of("cACompromise")).isEqualTo(RevocationReason.CA_COMPROMISE);
        assertThat(RevocationReason.ofCode(9)).isEqualTo(RevocationReason.PRIVILEGE_WITHDRAWN);
        assertThat(RevocationReason.CESSATION_OF_OPERATION.rfcName()).isEqualTo("cessationOfOperation");
        assertThatThrownBy(() -> RevocationReason.ofCode(8)).isInstanceOf(IllegalArgumentException.class);
    }

    private static X509Certificate issue() throws IssuanceException {
        return ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
    }

    /** openssl prints serials as whole octets: a leading zero nibble is kept. */
    private static String evenHex(X509Certificate certificate) {
        String hex = certificate.getSerialNumber().toString(16).toUpperCase();
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static SerialNumber serial(X509Certificate certificate) {
        return new SerialNumber(certificate.getSerialNumber());
    }

    private static List<String> concat(List<String> command, String last) {
        return java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(last))
                .toList();
    }
}
