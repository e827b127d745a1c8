package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own TLS certificate profile, read by openssl. */
class TlsServerCertificateTest {

    @TempDir
    Path dir;

    @Test
    void opensslAcceptsItAsATlsServerCertificateForItsNames() throws Exception {
        EmbeddedCa ca = CaFixture.pkcs12Ca(
                dir,
                CaKeyType.P256,
                PublicationUrls.of("http://localhost:8443/crl/issuing.crl", "http://localhost:8443/ocsp", null));
        X509Certificate tls = ca.issueTlsServer(new TlsServerRequest(
                        CaFixture.ecKey("secp256r1"),
                        List.of("localhost", "renew.example.gov.tw"),
                        List.of(InetAddress.getByName("127.0.0.1")),
                        CaFixture.NOW,
                        CaFixture.NOW.plus(Duration.ofDays(90))))
                .certificate();
        Path leaf = PemFiles.write(dir.resolve("tls.pem"), tls);
        Path root = PemFiles.write(dir.resolve("root.pem"), ca.chain().get(1));
        Path issuing = PemFiles.write(dir.resolve("issuing.pem"), ca.chain().get(0));

        String text = Tools.run(List.of("openssl", "x509", "-noout", "-text", "-in", leaf.toString()), Map.of());
        assertThat(text)
                .contains("Subject: CN = localhost")
                .contains("TLS Web Server Authentication")
                .contains("DNS:localhost, DNS:renew.example.gov.tw, IP Address:127.0.0.1")
                .contains("URI:http://localhost:8443/crl/issuing.crl");
        String verify = Tools.run(
                List.of(
                        "openssl",
                        "verify",
                        "-x509_strict",
                        "-purpose",
                        "sslserver",
                        "-verify_hostname",
                        "renew.example.gov.tw",
                        "-attime",
                        Long.toString(CaFixture.NOW.plusSeconds(60).getEpochSecond()),
                        "-CAfile",
                        root.toString(),
                        "-untrusted",
                        issuing.toString(),
                        leaf.toString()),
                Map.of());
        assertThat(verify.strip()).isEqualTo(leaf + ": OK");
    }

    @Test
    void anRsaKeyAlsoGetsKeyEnciphermentAndANameIsRequired() throws Exception {
        EmbeddedCa ca = CaFixture.pkcs12Ca(dir, CaKeyType.P256, PublicationUrls.NONE);
        X509Certificate tls = ca.issueTlsServer(new TlsServerRequest(
                        CaFixture.rsaKey(2048),
                        List.of(),
                        List.of(InetAddress.getByName("::1")),
                        CaFixture.NOW,
                        CaFixture.NOW.plusSeconds(3600)))
                .certificate();

        assertThat(tls.getKeyUsage()[0]).isTrue();
        assertThat(tls.getKeyUsage()[2]).isTrue();
        assertThat(tls.getSubjectAlternativeNames().stream()
                        .map(n -> (Object) n.get(1))
                        .toList())
                .containsExactly("0:0:0:0:0:0:0:1");
        assertThatThrownBy(() -> new TlsServerRequest(
                        CaFixture.ecKey("secp256r1"),
                        List.of(),
                        List.of(),
                        CaFixture.NOW,
                        CaFixture.NOW.plusSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ca.issueTlsServer(new TlsServerRequest(
                        CaFixture.rsaKey(1024),
                        List.of("localhost"),
                        List.of(),
                        CaFixture.NOW,
                        CaFixture.NOW.plusSeconds(60))))
                .isInstanceOf(IssuanceException.class);
    }
}
