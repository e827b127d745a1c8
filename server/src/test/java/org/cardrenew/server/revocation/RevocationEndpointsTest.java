package org.cardrenew.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.standards.Peers;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** Revocation through the admin API, then the CRL and OCSP endpoints as openssl sees them. */
@OnH2
class RevocationEndpointsTest extends ApiTestBase {

    @Autowired
    CertificateAuthority ca;

    @TempDir
    Path dir;

    private Path root;
    private Path issuing;

    @BeforeEach
    void chainFiles() {
        root = Peers.pem(dir.resolve("root.pem"), ca.chain().get(1));
        issuing = Peers.pem(dir.resolve("issuing.pem"), ca.chain().get(0));
    }

    @Test
    void certificatesNameTheCrlAndOcspPathsThisServerServes() throws Exception {
        Card card = Card.p256();
        enroll(card);

        String text = Peers.ok(List.of(
                "openssl",
                "x509",
                "-noout",
                "-text",
                "-in",
                Peers.pem(dir.resolve("card.pem"), card.signing).toString()));

        assertThat(text)
                .contains("URI:http://localhost:8080/crl/issuing.crl")
                .contains("OCSP - URI:http://localhost:8080/ocsp");
    }

    @Test
    void opensslOcspSeesGoodThenRevokedWithTheReasonTheAdminGave() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Path leaf = Peers.pem(dir.resolve("leaf.pem"), card.signing);

        assertThat(ocsp(leaf)).contains("Response verify OK").contains(leaf + ": good");

        HttpResponse<String> revoked = revoke(card.serial(), "keyCompromise");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).contains("\"reason\":\"keyCompromise\"").contains(card.serial());

        assertThat(ocsp(leaf))
                .contains("Response verify OK")
                .contains(leaf + ": revoked")
                .contains("Reason: keyCompromise");
        AuditRecord audit = lastAudit();
        assertThat(audit.action()).isEqualTo("CERTIFICATE_REVOKED");
        assertThat(audit.actor()).isEqualTo("admin");
        assertThat(status(card).status()).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void theCrlIsRegeneratedOnEveryRevocationAndOpensslVerifyRefusesTheRevokedCertificate() throws Exception {
        Card kept = Card.p256();
        enroll(kept);
        Card lost = Card.p256();
        enroll(lost);
        BigInteger before = crlNumber(crl());

        assertThat(revoke(lost.serial(), "cessationOfOperation").statusCode()).isEqualTo(200);

        X509CRL crl = crl();
        assertThat(crlNumber(crl)).isGreaterThan(before);
        assertThat(crl.isRevoked(lost.signing)).isTrue();
        assertThat(crl.isRevoked(kept.signing)).isFalse();
        assertThat(crl.getNextUpdate().toInstant())
                .isEqualTo(crl.getThisUpdate().toInstant().plus(java.time.Duration.ofDays(1)));
        Path crlFile = Peers.pem(dir.resolve("issuing.crl.pem"), crl);
        List<String> verify = List.of(
                "openssl",
                "verify",
                "-crl_check",
                "-attime",
                Long.toString(clock.instant().plusSeconds(60).getEpochSecond()),
                "-CAfile",
                root.toString(),
                "-untrusted",
                issuing.toString(),
                "-CRLfile",
                crlFile.toString());
        Path lostFile = Peers.pem(dir.resolve("lost.pem"), lost.signing);
        Path keptFile = Peers.pem(dir.resolve("kept.pem"), kept.signing);
        assertThat(Peers.run(concat(verify, lostFile.toString())).output()).contains("certificate revoked");
        assertThat(Peers.ok(concat(verify, keptFile.toString()))).contains(keptFile + ": OK");
        assertThat(Peers.ok(List.of("openssl", "crl", "-noout", "-text", "-in", crlFile.toString())))
                .contains("Cessation Of Operation")
                .contains("X509v3 CRL Number");
    }

    @Test
    void ocspAnswersGetRequestsAndGarbage() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Path request = dir.resolve("get.req");
        Peers.ok(List.of(
                "openssl",
                "ocsp",
                "-issuer",
                issuing.toString(),
                "-cert",
                Peers.pem(dir.resolve("get.pem"), card.signing).toString(),
                "-no_nonce",
                "-reqout",
                request.toString()));
        String encoded = URLEncoder.encode(
                Base64.getEncoder().encodeToString(Files.readAllBytes(request)), StandardCharsets.US_ASCII);

        HttpResponse<byte[]> get = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ocsp/" + encoded))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        OCSPResp response = new OCSPResp(get.body());
        assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        assertThat(((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus())
                .isNull(); // good
        HttpResponse<byte[]> garbage = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ocsp"))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new OCSPResp(garbage.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        // RFC 6960 A.1: standard base64 has '/', URL-encoded as %2F; such a path reaches the responder. Two '/' in a
        // row are as likely in a request's base64 (about one certificate in forty had one): %2F%2F too.
        assertGarbageGetReachesTheResponder("MAo%2FAA%3D%3D");
        assertGarbageGetReachesTheResponder("MA%2F%2FAA%3D%3D");
    }

    private void assertGarbageGetReachesTheResponder(String encoded) throws Exception {
        HttpResponse<byte[]> get = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ocsp/" + encoded))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode())
                .as(encoded + ": " + new String(get.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(new OCSPResp(get.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void revocationRefusalsCarryTheirCodes() throws Exception {
        Card card = Card.p256();
        enroll(card);

        assertThat(revoke("abcdef0123", "keyCompromise").body()).contains(ErrorCode.CERTIFICATE_UNKNOWN.name());
        assertThat(revoke(card.serial(), "notAReason").statusCode()).isEqualTo(400);
        assertThat(revoke("xyz", null).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/admin/revocations", "{\"serial\":\"" + card.serial() + "\"}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(revoke(card.serial(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> twice = revoke(card.serial(), "superseded");
        assertThat(twice.body()).contains(ErrorCode.CERTIFICATE_REVOKED.name());
        assertThat(lastAudit().action()).isEqualTo("REVOCATION_REFUSED");
    }

    private String ocsp(Path leaf) {
        return Peers.ok(List.of(
                "openssl",
                "ocsp",
                "-url",
                "http://localhost:" + port + "/ocsp",
                "-issuer",
                issuing.toString(),
                "-cert",
                leaf.toString(),
                "-CAfile",
                root.toString(),
                "-verify_other",
                issuing.toString(),
                // The server runs on the test clock: validate at that time, and accept its thisUpdate/nextUpdate.
                "-attime",
                Long.toString(clock.instant().plusSeconds(1).getEpochSecond()),
                "-validity_period",
                "200000000"));
    }

    private HttpResponse<String> revoke(String serial, String reason) throws Exception {
        String json = "{\"serial\":\"" + serial + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
        return post("/api/v1/admin/revocations", json, "Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private X509CRL crl() throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/crl/issuing.crl"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(response.body()));
    }

    private static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                        .getOctets())
                .getValue();
    }

    private static List<String> concat(List<String> command, String last) {
        return java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(last))
                .toList();
    }
}
