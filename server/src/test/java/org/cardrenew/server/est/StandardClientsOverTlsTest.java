package org.cardrenew.server.est;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.server.standards.Peers;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.Csrs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The server on HTTPS with its own certificate (created on first start by its CA), and the standard clients that
 * need it: curl for EST with a card's signing certificate as TLS client certificate, openssl s_client and
 * openssl cmp. These peers check certificate validity against the machine's clock, so this context's server
 * certificate lives ten years from the test clock's start.
 */
@TestPropertySource(
        properties = {
            "cardrenew.tls.enabled=true",
            "cardrenew.tls.lifetime=P3650D",
            // openssl cmp stamps messageTime from the machine's clock: its card is enrolled around the machine's time
            "cardrenew.enrollment.allow-explicit-validity=true",
            "cardrenew.data-dir=target/test-data/tls",
            "spring.datasource.url=jdbc:h2:mem:cardrenew-tls;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        })
class StandardClientsOverTlsTest extends ApiTestBase {

    private static final int REVOCATION_HTTP_PORT = freePort();

    @DynamicPropertySource
    static void revocationHttpPort(DynamicPropertyRegistry registry) {
        registry.add("cardrenew.tls.revocation-http-port", () -> REVOCATION_HTTP_PORT);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    CertificateAuthority ca;

    @TempDir
    Path dir;

    private Path root;
    private String base;

    @BeforeEach
    void overHttps() throws Exception {
        root = Peers.pem(dir.resolve("root.pem"), ca.chain().get(1));
        base = "https://localhost:" + port;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", ca.chain().get(1));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        client = new RaClient(
                URI.create(base), "en", HttpClient.newBuilder().sslContext(tls).build());
    }

    @Test
    void opensslAcceptsTheServerCertificateForLocalhost() {
        String handshake = Peers.ok(List.of(
                "openssl",
                "s_client",
                "-connect",
                "localhost:" + port,
                "-CAfile",
                root.toString(),
                "-verify_hostname",
                "localhost",
                "-verify_return_error",
                "-brief"));

        assertThat(handshake).contains("Verification: OK");
    }

    @Test
    void theCrlAndOcspAreAlsoServedOnThePlainHttpRevocationPortAndNothingElse() throws Exception {
        Card card = Card.p256();
        enroll(card);
        String http = "http://localhost:" + REVOCATION_HTTP_PORT;

        Peers.ok(
                List.of("curl", "-sS", "--fail", "-o", dir.resolve("plain.crl").toString(), http + "/crl/issuing.crl"));
        assertThat(Peers.ok(List.of(
                        "openssl",
                        "crl",
                        "-inform",
                        "DER",
                        "-in",
                        dir.resolve("plain.crl").toString(),
                        "-noout",
                        "-issuer")))
                .contains("CardRenew Issuing CA");
        String ocsp = Peers.ok(List.of(
                "openssl",
                "ocsp",
                "-url",
                http + "/ocsp",
                "-issuer",
                Peers.pem(dir.resolve("plain-issuing.pem"), ca.chain().get(0)).toString(),
                "-cert",
                Peers.pem(dir.resolve("plain-card.pem"), card.signing).toString(),
                "-CAfile",
                root.toString(),
                "-verify_other",
                dir.resolve("plain-issuing.pem").toString(),
                "-attime",
                Long.toString(clock.instant().plusSeconds(1).getEpochSecond()),
                "-validity_period",
                "200000000"));
        assertThat(ocsp).contains("Response verify OK").contains(": good");
        assertThat(Peers.ok(List.of(
                        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", http + "/api/v1/ca/certificates")))
                .isEqualTo("404");
    }

    @Test
    void curlFetchesTheCaCertificatesAsCertsOnlyCms() throws Exception {
        Path body = dir.resolve("cacerts.b64");
        Peers.ok(List.of(
                "curl",
                "-sS",
                "--fail",
                "--cacert",
                root.toString(),
                "-o",
                body.toString(),
                base + "/.well-known/est/cacerts"));
        Path der =
                Files.write(dir.resolve("cacerts.p7"), Base64.getMimeDecoder().decode(Files.readString(body)));

        String certs = Peers.ok(
                List.of("openssl", "pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs", "-noout"));

        assertThat(certs).contains("CN = CardRenew Issuing CA").contains("CN = CardRenew Root CA");
    }

    @Test
    void curlReenrollsACardPairWithTwoLabelledRequestsAuthenticatedByTheSigningCertificate() throws Exception {
        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);
        Card next = Card.p256();
        Path certificate = Peers.pem(dir.resolve("current.pem"), card.signing);
        Path key = Peers.privateKey(dir.resolve("current.key"), card.signingKeys.getPrivate());
        Path signingCsr = Files.writeString(
                dir.resolve("signing.b64"), Csrs.of(next.signingKeys, card.signing.getSubjectX500Principal()));
        Path encryptionCsr = Files.writeString(
                dir.resolve("encryption.b64"), Csrs.of(next.encryptionKeys, card.encryption.getSubjectX500Principal()));

        assertThat(reenroll("signing", signingCsr, certificate, key, "first-signing"))
                .isEqualTo("202");
        assertThat(reenroll("encryption", encryptionCsr, certificate, key, "encryption"))
                .isEqualTo("200");
        assertThat(reenroll("signing", signingCsr, certificate, key, "signing")).isEqualTo("200");

        for (String half : List.of("signing", "encryption")) {
            Path der = Files.write(
                    dir.resolve(half + ".p7"),
                    Base64.getMimeDecoder().decode(Files.readString(dir.resolve(half + ".out"))));
            Path issued = dir.resolve(half + "-issued.pem");
            Peers.ok(List.of(
                    "openssl",
                    "pkcs7",
                    "-inform",
                    "DER",
                    "-in",
                    der.toString(),
                    "-print_certs",
                    "-out",
                    issued.toString()));
            String verify = Peers.ok(List.of(
                    "openssl",
                    "verify",
                    "-attime",
                    Long.toString(clock.instant().plusSeconds(60).getEpochSecond()),
                    "-CAfile",
                    root.toString(),
                    "-untrusted",
                    Peers.pem(dir.resolve("issuing.pem"), ca.chain().get(0)).toString(),
                    issued.toString()));
            assertThat(verify).contains(issued + ": OK");
        }
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }

    @Test
    void simplereenrollOutsideTheWindowIsRefusedBeforeAnythingIsKept() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Path certificate = Peers.pem(dir.resolve("early-est.pem"), card.signing);
        Path key = Peers.privateKey(dir.resolve("early-est.key"), card.signingKeys.getPrivate());
        Path csr = Files.writeString(
                dir.resolve("early-est.b64"), Csrs.of(Card.p256().signingKeys, card.signing.getSubjectX500Principal()));

        assertThat(reenroll("signing", csr, certificate, key, "early-est")).isEqualTo("403");
        assertThat(Files.readString(dir.resolve("early-est.out"))).contains("NOT_YET_RENEWABLE");
        assertThat(lastAudit().code()).isEqualTo("NOT_YET_RENEWABLE");
    }

    @Test
    void simplereenrollWithoutAClientCertificateIsRefused() throws Exception {
        Path csr = Files.writeString(
                dir.resolve("anonymous.b64"),
                Csrs.of(Card.p256().signingKeys, new javax.security.auth.x500.X500Principal("CN=nobody")));

        Peers.Result result = Peers.run(List.of(
                "curl",
                "-sS",
                "--cacert",
                root.toString(),
                "-H",
                "Content-Type: application/pkcs10",
                "--data-binary",
                "@" + csr,
                "-w",
                "\n%{http_code}",
                base + "/.well-known/est/simplereenroll"));

        assertThat(result.output()).contains("CERTIFICATE_UNKNOWN").endsWith("403");
    }

    @Test
    void opensslCmpRenewsAPairInTwoKurTransactionsTheFirstPollingUntilTheSecondArrives() throws Exception {
        Card card = Card.p256();
        renewableAtTheMachinesTime(card);
        Path certificate = Peers.pem(dir.resolve("pair.pem"), card.signing);
        Path key = Peers.privateKey(dir.resolve("pair.key"), card.signingKeys.getPrivate());
        Path encryption = Peers.pem(dir.resolve("pair-encryption.pem"), card.encryption);
        Card next = Card.p256();
        Path newSigning = dir.resolve("new-signing.pem");
        Path newEncryption = dir.resolve("new-encryption.pem");
        long pendingBefore = pendingCount();

        // The signing half: openssl sends kur, gets "waiting", and polls (pollReq) until the pair is issued.
        Process first = new ProcessBuilder(kur(
                        certificate,
                        key,
                        certificate,
                        Peers.privateKey(dir.resolve("new-signing.key"), next.signingKeys.getPrivate()),
                        newSigning))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile())
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pendingCount() > pendingBefore);
        // The encryption half, in its own transaction, protected by the same current signing key.
        Peers.ok(kur(
                certificate,
                key,
                encryption,
                Peers.privateKey(dir.resolve("new-encryption.key"), next.encryptionKeys.getPrivate()),
                newEncryption));
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue())
                .as(Files.readString(dir.resolve("first.log")))
                .isZero();

        assertThat(Card.certificate(base64(newSigning)).getPublicKey()).isEqualTo(next.signingKeys.getPublic());
        assertThat(Card.certificate(base64(newEncryption)).getPublicKey()).isEqualTo(next.encryptionKeys.getPublic());
        // openssl sent a certConf for each certificate: the renewal is complete.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> status(card).status() == CertificateStatus.ALREADY_RENEWED);
    }

    @Test
    void opensslCmpIsToldWhenTheCardIsNotYetRenewable() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Path certificate = Peers.pem(dir.resolve("early.pem"), card.signing);

        Peers.Result result = Peers.run(kur(
                certificate,
                Peers.privateKey(dir.resolve("early.key"), card.signingKeys.getPrivate()),
                certificate,
                Peers.privateKey(
                        dir.resolve("early-new.key"), Card.p256().signingKeys.getPrivate()),
                dir.resolve("early-out.pem")));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("notAuthorized").contains("NOT_YET_RENEWABLE");
    }

    @Test
    void opensslCmpIsToldBadTimeWhenItsMessageTimeIsOutsideTheWindow() throws Exception {
        Card card = Card.p256();
        Instant machineTime = renewableAtTheMachinesTime(card);
        Path certificate = Peers.pem(dir.resolve("late.pem"), card.signing);
        long issued = certificates.count();
        // the server's clock an hour ahead of openssl's (the window is five minutes)
        clock.set(machineTime.plus(Duration.ofHours(1)));

        Peers.Result result = Peers.run(kur(
                certificate,
                Peers.privateKey(dir.resolve("late.key"), card.signingKeys.getPrivate()),
                certificate,
                Peers.privateKey(
                        dir.resolve("late-new.key"), Card.p256().signingKeys.getPrivate()),
                dir.resolve("late-out.pem")));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("badTime");
        assertThat(certificates.count()).isEqualTo(issued);
    }

    /**
     * RFC 4210 §5.1.1: the server checks openssl's messageTime, the machine's time, against its own clock; so the
     * server's clock is set to the machine's time and the card enrolled renewable then. Returns that time.
     */
    private Instant renewableAtTheMachinesTime(Card card) throws Exception {
        Instant machineTime = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        clock.set(machineTime);
        enroll(card, holderId(), machineTime.minus(Duration.ofDays(710)), machineTime.plus(Duration.ofDays(20)));
        return machineTime;
    }

    /** openssl cmp as the client: kur over HTTPS, protected with the current signing key, responses verified. */
    private List<String> kur(Path certificate, Path key, Path oldCertificate, Path newKey, Path out) {
        return List.of(
                "openssl",
                "cmp",
                "-cmd",
                "kur",
                "-server",
                "localhost:" + port,
                "-path",
                "/.well-known/cmp",
                "-tls_used",
                "-tls_trusted",
                root.toString(),
                "-trusted",
                root.toString(),
                "-cert",
                certificate.toString(),
                "-key",
                key.toString(),
                "-oldcert",
                oldCertificate.toString(),
                "-newkey",
                newKey.toString(),
                "-certout",
                out.toString(),
                "-total_timeout",
                "60");
    }

    private long pendingCount() {
        return auditRecords.all().stream()
                .filter(r -> r.action().equals("RENEWAL_PENDING"))
                .count();
    }

    private static String base64(Path pem) throws Exception {
        return Files.readString(pem).replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
    }

    private String reenroll(String label, Path csr, Path certificate, Path key, String output) {
        return Peers.ok(List.of(
                        "curl",
                        "-sS",
                        "--cacert",
                        root.toString(),
                        "--cert",
                        certificate.toString(),
                        "--key",
                        key.toString(),
                        "-H",
                        "Content-Type: application/pkcs10",
                        "--data-binary",
                        "@" + csr,
                        "-o",
                        dir.resolve(output + ".out").toString(),
                        "-w",
                        "%{http_code}",
                        base + "/.well-known/est/" + label + "/simplereenroll"))
                .strip();
    }
}
