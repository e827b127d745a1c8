package org.cardrenew.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.DataInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerTrust} and {@link RaClient} against a real HTTPS server on the loopback (the JDK's), certified by an
 * agency-like root that neither the JDK nor this machine trusts: refused with the chain named, trusted with the
 * root from a file (PEM, several PEM, DER) or from the system bundle, and each other TLS failure told apart from an
 * unreachable server.
 */
class ServerTrustTest {

    private static final AtomicLong SERIAL = new AtomicLong(1);
    private static final String BODY = "-----BEGIN CERTIFICATE-----\n...\n";

    private static KeyPair rootKey;
    private static X509Certificate root;

    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeAll
    static void agencyRoot() throws Exception {
        rootKey = p256();
        X500Principal name = new X500Principal("CN=Agency Test Root, O=Agency, C=TW");
        root = certificate(
                name,
                rootKey.getPublic(),
                name,
                rootKey.getPrivate(),
                true,
                null,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aServerUnderARootNobodyTrustsIsRefusedAsUnknownIssuerWithItsChain() throws Exception {
        URI url = https("localhost", valid("localhost"));

        assertThatThrownBy(() ->
                        client(url, ServerTrust.of("Linux", List.of(), null)).caCertificates())
                .isInstanceOfSatisfying(ServerNotTrustedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ServerTrust.Reason.UNKNOWN_ISSUER);
                    assertThat(e.server()).isEqualTo(url);
                    assertThat(e.chain()).first().satisfies(leaf -> {
                        assertThat(leaf.subject()).contains("CN=renew.example.gov.tw");
                        assertThat(leaf.issuer()).contains("CN=Agency Test Root");
                    });
                });
    }

    @Test
    void theRootFromAPemCaFileMakesTheServerTrusted() throws Exception {
        URI url = https("localhost", valid("localhost"));
        Path pem = Files.writeString(dir.resolve("root.pem"), pem(root));

        assertThat(client(url, ServerTrust.of("Linux", List.of(), pem)).caCertificates())
                .isEqualTo(BODY);
    }

    @Test
    void aPemFileWithSeveralCertificatesAndCommentsIsReadWhole() throws Exception {
        URI url = https("localhost", valid("localhost"));
        KeyPair other = p256();
        X500Principal otherName = new X500Principal("CN=Other Root");
        X509Certificate unrelated = certificate(
                otherName,
                other.getPublic(),
                otherName,
                other.getPrivate(),
                true,
                null,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)));
        Path bundle = Files.writeString(
                dir.resolve("bundle.pem"),
                "# the agency's roots\n" + pem(unrelated) + "\nAgency Test Root\n" + pem(root));

        ServerTrust trust = ServerTrust.of("Linux", List.of(), bundle);

        assertThat(trust.sources()).contains("ca-file " + bundle + " (2 certificates)");
        assertThat(client(url, trust).caCertificates()).isEqualTo(BODY);
    }

    @Test
    void aDerCaFileMakesTheServerTrusted() throws Exception {
        URI url = https("localhost", valid("localhost"));
        Path der = Files.write(dir.resolve("root.cer"), root.getEncoded());

        assertThat(client(url, ServerTrust.of("Linux", List.of(), der)).caCertificates())
                .isEqualTo(BODY);
    }

    @Test
    void onLinuxTheFirstSystemBundleFoundIsTrusted() throws Exception {
        URI url = https("localhost", valid("localhost"));
        Path bundle = Files.writeString(dir.resolve("ca-certificates.crt"), pem(root));

        ServerTrust trust = ServerTrust.of("Linux", List.of(dir.resolve("absent.pem"), bundle), null);

        assertThat(trust.sources()).containsExactly("JDK", bundle.toString());
        assertThat(client(url, trust).caCertificates()).isEqualTo(BODY);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsANameMismatch() throws Exception {
        URI url = https("localhost", valid("renew.example.gov.tw"));
        Path pem = Files.writeString(dir.resolve("root.pem"), pem(root));

        assertThatThrownBy(() ->
                        client(url, ServerTrust.of("Linux", List.of(), pem)).caCertificates())
                .isInstanceOfSatisfying(
                        ServerNotTrustedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ServerTrust.Reason.NAME_MISMATCH));
    }

    @Test
    void anExpiredServerCertificateIsReportedAsExpired() throws Exception {
        URI url = https(
                "localhost",
                leaf(
                        "localhost",
                        Instant.now().minus(Duration.ofDays(10)),
                        Instant.now().minus(Duration.ofDays(1))));
        Path pem = Files.writeString(dir.resolve("root.pem"), pem(root));

        assertThatThrownBy(() ->
                        client(url, ServerTrust.of("Linux", List.of(), pem)).caCertificates())
                .isInstanceOfSatisfying(
                        ServerNotTrustedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ServerTrust.Reason.CERTIFICATE_EXPIRED));
    }

    @Test
    void aPlainHttpServerBehindAnHttpsUrlIsAFailedHandshake() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            // What a plain-HTTP server answers to a TLS ClientHello: a 400 in clear text, on every connection.
            // It reads the whole ClientHello record first: closing with unread bytes resets the connection,
            // and the JDK client retries a GET once on a reset, so a server that answered only once would
            // leave the retry hanging.
            Thread answer = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] header = new byte[5];
                        in.readFully(header);
                        in.readFully(new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)]);
                        s.getOutputStream()
                                .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        // closed at the end of the test, or the client gave up: the assertion tells
                    }
                }
            });
            answer.setDaemon(true);
            answer.start();
            URI url = URI.create("https://localhost:" + plain.getLocalPort());

            assertThatThrownBy(() -> client(url, ServerTrust.of("Linux", List.of(), null))
                            .caCertificates())
                    .isInstanceOfSatisfying(ServerNotTrustedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServerTrust.Reason.HANDSHAKE_FAILED);
                        assertThat(e.chain()).isEmpty();
                    });
        }
    }

    @Test
    void aClosedPortIsStillUnreachableNotUntrusted() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        URI url = URI.create("https://localhost:" + closed);

        assertThatThrownBy(() ->
                        client(url, ServerTrust.of("Linux", List.of(), null)).caCertificates())
                .isInstanceOf(RaUnreachableException.class);
    }

    @Test
    void aCaFileThatIsMissingEmptyOrNoCertificateIsAClearErrorAtStart() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path key = Files.writeString(
                dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n");
        Path garbage = Files.write(dir.resolve("garbage.der"), new byte[] {0x30, 0x03, 0x02, 0x01});
        Path huge = Files.write(dir.resolve("huge.pem"), new byte[2 << 20]);

        for (Path bad : List.of(missing, empty, key, garbage, huge)) {
            assertThatThrownBy(() -> ServerTrust.of("Linux", List.of(), bad))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot use the CA file " + bad + ": ");
        }
    }

    // --- a local HTTPS server under the agency root

    private X509Certificate[] valid(String name) throws Exception {
        return leaf(name, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    private KeyPair leafKey;

    private X509Certificate[] leaf(String dnsName, Instant from, Instant to) throws Exception {
        leafKey = p256();
        X509Certificate leaf = certificate(
                new X500Principal("CN=renew.example.gov.tw, O=Agency, C=TW"),
                leafKey.getPublic(),
                root.getSubjectX500Principal(),
                rootKey.getPrivate(),
                false,
                dnsName,
                from,
                to);
        return new X509Certificate[] {leaf, root};
    }

    private URI https(String host, X509Certificate[] chain) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leafKey.getPrivate(), new char[0], chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        server = https;
        serve();
        return URI.create("https://" + host + ":" + https.getAddress().getPort());
    }

    private void serve() {
        server.createContext(ApiPaths.CA_CERTIFICATES, exchange -> {
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static RaClient client(URI url, ServerTrust trust) {
        return new RaClient(url, "en", trust);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(
            X500Principal subject,
            java.security.PublicKey key,
            X500Principal issuer,
            PrivateKey issuerKey,
            boolean ca,
            String dnsName,
            Instant from,
            Instant to)
            throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer, BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(from), Date.from(to), subject, key);
        builder.addExtension(
                Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
        builder.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        if (dnsName != null) {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static String pem(Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
