package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole renewal from the command line: a real server (H2 here, PostgreSQL in the subclass), real
 * SoftHSM2 cards (RSA-2048 and P-256), the {@code cardrenew} CLI, and two independent peers checking the
 * result: {@code pkcs11-tool} lists exactly the new objects, {@code openssl verify} accepts the new
 * certificates against the CA chain.
 */
class CommandLineRenewalTest {

    static SoftHsm hsm;
    static Token rsaCard;
    static Token ecCard;
    static ServerUnderTest server;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        startWith(ServerUnderTest.Database.H2);
    }

    /** Cards first: SoftHSM2 reads its token directory at the JVM's first PKCS#11 call. */
    static void startWith(ServerUnderTest.Database database) throws Exception {
        hsm = SoftHsm.forThisJvm();
        rsaCard = hsm.createToken("E2E-RSA", "123456");
        ecCard = hsm.createToken("E2E-P256", "654321");
        server = ServerUnderTest.start(database);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anRsa2048CardNearExpiryIsRenewedAndHoldsOnlyTheNewObjects() throws Exception {
        renewsNearExpiryCard(rsaCard, "A100000001", "rsa2048");
    }

    @Test
    void aP256CardNearExpiryIsRenewedAndHoldsOnlyTheNewObjects() throws Exception {
        renewsNearExpiryCard(ecCard, "A100000002", "p256");
    }

    private void renewsNearExpiryCard(Token card, String holderId, String key) throws Exception {
        Cli cli = new Cli(server.url(), card);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant oldNotAfter = now.plus(Duration.ofDays(20));
        Cli.Run enrolled = cli.enroll(holderId, "王小明", key, now.minus(Duration.ofDays(710)), oldNotAfter);
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        CardObjects before = CardObjects.of(card);
        assertThat(before.privateKeyIds()).hasSize(2);
        assertThat(before.certificateIds()).containsExactlyInAnyOrderElementsOf(before.privateKeyIds());

        Cli.Run status = cli.status("--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("\"status\":\"RENEWABLE\"").contains(holderId);

        Cli.Run renewed = cli.renew("--json");
        assertThat(renewed.exitCode()).as(renewed.toString()).isZero();

        CardObjects after = CardObjects.of(card);
        assertThat(after.privateKeyIds()).hasSize(2).doesNotContainAnyElementsOf(before.privateKeyIds());
        assertThat(after.certificateIds()).containsExactlyInAnyOrderElementsOf(after.privateKeyIds());
        assertThat(after.historyKeyIds())
                .hasSize(1)
                .isSubsetOf(before.privateKeyIds())
                .isEqualTo(after.historyCertificateIds());

        Path[] chain = chain();
        for (String id : after.certificateIds()) {
            Path der = card.exportCertificate(id, work.resolve(id + ".der"));
            Path pem = work.resolve(id + ".pem");
            Tools.run(
                    List.of("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()),
                    Map.of());
            String verify = Tools.run(
                    List.of(
                            "openssl",
                            "verify",
                            "-x509_strict",
                            "-CAfile",
                            chain[1].toString(),
                            "-untrusted",
                            chain[0].toString(),
                            pem.toString()),
                    Map.of());
            assertThat(verify).contains(pem + ": OK");
            String dates = Tools.run(
                    List.of(
                            "openssl",
                            "x509",
                            "-in",
                            pem.toString(),
                            "-noout",
                            "-enddate",
                            "-subject",
                            "-nameopt",
                            "RFC2253,-esc_msb"),
                    Map.of());
            assertThat(dates).contains("serialNumber=" + holderId).contains("CN=王小明");
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(der)) {
                certificate = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            // The default renewal validity is the original length (730 days), counted from the renewal.
            assertThat(certificate.getNotAfter().toInstant()).isAfter(oldNotAfter.plus(Duration.ofDays(700)));
        }

        Cli.Run again = cli.status("--json");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.out()).contains("\"status\":\"NOT_YET_RENEWABLE\"");
    }

    /** The CA chain the server publishes, as [issuing.pem, root.pem]. */
    private Path[] chain() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/ca/certificates"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        String end = "-----END CERTIFICATE-----";
        int cut = body.indexOf(end) + end.length();
        Path issuing = Files.writeString(
                work.resolve("issuing.pem"), body.substring(0, cut).trim() + "\n");
        Path root =
                Files.writeString(work.resolve("root.pem"), body.substring(cut).trim() + "\n");
        return new Path[] {issuing, root};
    }
}
