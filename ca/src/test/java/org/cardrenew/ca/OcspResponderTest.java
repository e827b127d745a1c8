package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OCSP responses (RFC 6960) signed by the delegated responder, checked by {@code openssl ocsp}. */
class OcspResponderTest {

    /**
     * openssl ocsp checks thisUpdate/nextUpdate against the machine's clock (-attime only affects path validation),
     * so this CA's fixed clock is the time the test class starts.
     */
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static EmbeddedCa ca;
    private static OcspResponder responder;
    private static X509Certificate good;
    private static X509Certificate revoked;
    private static X509Certificate neverStored;
    private static Path root;
    private static Path issuing;
    private static HttpServer http;

    @BeforeAll
    static void createCa() throws Exception {
        ca = EmbeddedCa.openOrCreate(
                CaSettings.pkcs12(dir.resolve("ca.p12"), CaFixture.PASSWORD.clone())
                        .withKeyType(CaKeyType.P256)
                        .withUrls(new PublicationUrls(null, URI.create("http://localhost/ocsp"), null)),
                CLOCK);
        responder = ca.ocspResponder(OcspSettings.DEFAULT);
        good = issue();
        revoked = issue();
        neverStored = issue();
        root = PemFiles.write(dir.resolve("root.pem"), ca.chain().get(1));
        issuing = PemFiles.write(dir.resolve("issuing.pem"), ca.chain().get(0));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ocsp", exchange -> {
            byte[] answer = responder.respond(exchange.getRequestBody().readAllBytes(), OcspResponderTest::lookup);
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stopHttp() {
        http.stop(0);
    }

    private static RevocationStatus lookup(SerialNumber serial) {
        if (serial.value().equals(good.getSerialNumber())) {
            return RevocationStatus.good();
        }
        if (serial.value().equals(revoked.getSerialNumber())) {
            return RevocationStatus.revoked(START.minusSeconds(3600), RevocationReason.KEY_COMPROMISE);
        }
        return RevocationStatus.unknown();
    }

    @Test
    void opensslVerifiesAGoodAnswerWithItsNonceEchoed() throws Exception {
        String out = ask("good", good, issuing);

        assertThat(out).contains("Response verify OK").contains(": good").doesNotContain("WARNING");
    }

    @Test
    void opensslReadsARevokedAnswerWithTimeAndReason() throws Exception {
        String out = ask("revoked", revoked, issuing);

        assertThat(out)
                .contains("Response verify OK")
                .contains(": revoked")
                .contains("Reason: keyCompromise")
                .contains("Revocation Time: ");
    }

    @Test
    void aSerialTheStoreDoesNotKnowIsUnknown() throws Exception {
        assertThat(ask("unknown", neverStored, issuing))
                .contains("Response verify OK")
                .contains(": unknown");
    }

    @Test
    void aRequestForAnotherCaIsUnauthorized() throws Exception {
        EmbeddedCa other = CaFixture.pkcs12Ca(dir.resolve("other"), CaKeyType.P256, PublicationUrls.NONE);
        X509Certificate foreign = other.issue(
                        CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
        Path otherIssuing =
                PemFiles.write(dir.resolve("other-issuing.pem"), other.chain().get(0));

        Tools.Result result = askRaw("foreign", foreign, otherIssuing);

        assertThat(result.output()).contains("Responder Error: unauthorized");
    }

    @Test
    void garbageIsAnsweredMalformedRequest() throws Exception {
        OCSPResp response = new OCSPResp(responder.respond(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}, s -> null));

        assertThat(response.getStatus()).isEqualTo(1); // malformedRequest
        assertThat(new OCSPResp(responder.respond(new byte[0], s -> null)).getStatus())
                .isEqualTo(1);
    }

    static Stream<Arguments> nonces() {
        return Stream.of(
                Arguments.argumentSet("empty nonce: malformedRequest", 0, 1),
                Arguments.argumentSet("1 octet: answered", 1, 0),
                Arguments.argumentSet("32 octets: answered", 32, 0),
                Arguments.argumentSet("33 octets: malformedRequest", 33, 1),
                Arguments.argumentSet("1000 octets: malformedRequest", 1000, 1));
    }

    /** RFC 8954 §2.1: a nonce is 1 to 32 octets; a responder MUST answer any other length malformedRequest. */
    @ParameterizedTest
    @MethodSource("nonces")
    void theNonceLengthIsCheckedAsRfc8954Says(int octets, int status) throws Exception {
        OCSPReqBuilder request = new OCSPReqBuilder().addRequest(certId(good.getSerialNumber()));
        request.setRequestExtensions(new Extensions(new Extension(
                OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                false,
                new DEROctetString(new DEROctetString(new byte[octets]).getEncoded()))));

        assertThat(new OCSPResp(responder.respond(request.build().getEncoded(), OcspResponderTest::lookup)).getStatus())
                .isEqualTo(status);
    }

    @Test
    void aRequestForMoreThanTenCertificatesIsMalformed() throws Exception {
        OCSPReqBuilder ten = new OCSPReqBuilder();
        for (int i = 0; i < 10; i++) {
            ten.addRequest(certId(good.getSerialNumber()));
        }
        assertThat(new OCSPResp(responder.respond(ten.build().getEncoded(), OcspResponderTest::lookup)).getStatus())
                .isZero();
        OCSPReqBuilder eleven = ten.addRequest(certId(good.getSerialNumber()));
        assertThat(new OCSPResp(responder.respond(eleven.build().getEncoded(), OcspResponderTest::lookup)).getStatus())
                .isEqualTo(1);
    }

    /** RFC 5280 §4.1.2.2 serials are positive and at most 20 octets: no certificate of ours has another (found by fuzzing). */
    @ParameterizedTest(name = "serial {0}")
    @ValueSource(strings = {"0", "-5", "1461501637330902918203684832716283019655932542976"})
    void aSerialNoCertificateCanHaveIsUnknown(String serial) throws Exception {
        OCSPReq request = new OCSPReqBuilder()
                .addRequest(certId(new java.math.BigInteger(serial)))
                .build();

        OCSPResp response = new OCSPResp(responder.respond(request.getEncoded(), OcspResponderTest::lookup));

        assertThat(response.getStatus()).isZero();
        assertThat(((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus())
                .isInstanceOf(UnknownStatus.class);
    }

    /** BouncyCastle reads the CertIDs only when asked: a malformed one must still be malformedRequest (found by fuzzing). */
    @Test
    void aCertIdWhoseSerialIsNotAnIntegerIsMalformed() throws Exception {
        DERSequence certId = new DERSequence(new ASN1Encodable[] {
            new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE), new DEROctetString(new byte[20]),
            new DEROctetString(new byte[20]), new DERTaggedObject(false, 0, DERNull.INSTANCE)
        });
        DERSequence tbsRequest = new DERSequence(new DERSequence(new DERSequence(certId)));
        byte[] request = new DERSequence(tbsRequest).getEncoded();

        assertThat(new OCSPResp(responder.respond(request, OcspResponderTest::lookup)).getStatus())
                .isEqualTo(1);
    }

    private static CertificateID certId(java.math.BigInteger serial) throws Exception {
        return new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(ca.chain().get(0)),
                serial);
    }

    @Test
    void theResponseIsSignedByADelegatedNoCheckCertificateAndValidForTheConfiguredTime() throws Exception {
        Path request = dir.resolve("direct.req");
        Tools.run(
                List.of(
                        "openssl",
                        "ocsp",
                        "-issuer",
                        issuing.toString(),
                        "-cert",
                        PemFiles.write(dir.resolve("direct.pem"), good).toString(),
                        "-reqout",
                        request.toString()),
                Map.of());

        BasicOCSPResp basic =
                (BasicOCSPResp) new OCSPResp(responder.respond(Files.readAllBytes(request), OcspResponderTest::lookup))
                        .getResponseObject();

        X509Certificate signer =
                new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(basic.getCerts()[0]);
        assertThat(signer.getIssuerX500Principal()).isEqualTo(ca.chain().get(0).getSubjectX500Principal());
        assertThat(signer.getSubjectX500Principal().getName()).contains("CN=CardRenew Issuing CA OCSP Responder");
        assertThat(signer.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
        assertThat(signer.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId()))
                .isNotNull();
        assertThat(signer.getKeyUsage()[0]).isTrue();
        assertThat(Duration.between(
                        signer.getNotBefore().toInstant(), signer.getNotAfter().toInstant()))
                .isEqualTo(OcspSettings.DEFAULT.signerLifetime());
        assertThat(basic.getProducedAt().toInstant()).isEqualTo(START);
        assertThat(basic.getResponses()[0].getThisUpdate().toInstant()).isEqualTo(START);
        assertThat(basic.getResponses()[0].getNextUpdate().toInstant()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNotNull();
        assertThat(basic.getExtension(Extension.cRLNumber)).isNull();
    }

    @Test
    void theSignerIsKeptInTheKeyStoreAndReplacedAfterHalfItsLifetime() throws Exception {
        Path store = dir.resolve("rotation.p12");
        CaSettings settings =
                CaSettings.pkcs12(store, CaFixture.PASSWORD.clone()).withKeyType(CaKeyType.P256);
        X509Certificate first = signerOf(EmbeddedCa.openOrCreate(settings, CLOCK));
        X509Certificate afterRestart =
                signerOf(EmbeddedCa.openOrCreate(settings, Clock.offset(CLOCK, Duration.ofDays(14))));
        X509Certificate afterHalf =
                signerOf(EmbeddedCa.openOrCreate(settings, Clock.offset(CLOCK, Duration.ofDays(16))));

        assertThat(afterRestart).isEqualTo(first);
        assertThat(afterHalf).isNotEqualTo(first);
        assertThat(afterHalf.getNotBefore()).isAfter(first.getNotBefore());
        assertThat(signerOf(EmbeddedCa.openOrCreate(settings, Clock.offset(CLOCK, Duration.ofDays(17)))))
                .isEqualTo(afterHalf);
        String aliases = Tools.run(
                List.of("openssl", "pkcs12", "-in", store.toString(), "-passin", "env:PW", "-nokeys"),
                Map.of("PW", new String(CaFixture.PASSWORD)));
        assertThat(aliases).contains("friendlyName: " + DelegatedOcspResponder.ALIAS);
    }

    private static X509Certificate signerOf(EmbeddedCa ca) throws Exception {
        return ((DelegatedOcspResponder) ca.ocspResponder(OcspSettings.DEFAULT)).signerCertificate();
    }

    private static String ask(String name, X509Certificate certificate, Path issuerFile) throws Exception {
        Tools.Result result = askRaw(name, certificate, issuerFile);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    /** openssl as an OCSP client: it sends a request with a nonce over HTTP and verifies the answer and the nonce. */
    private static Tools.Result askRaw(String name, X509Certificate certificate, Path issuerFile) throws Exception {
        Path leaf = PemFiles.write(dir.resolve(name + ".pem"), certificate);
        return Tools.execute(
                List.of(
                        "openssl",
                        "ocsp",
                        "-url",
                        "http://127.0.0.1:" + http.getAddress().getPort() + "/ocsp",
                        "-issuer",
                        issuerFile.toString(),
                        "-cert",
                        leaf.toString(),
                        "-CAfile",
                        root.toString(),
                        "-verify_other",
                        issuing.toString(),
                        "-resp_text"),
                Map.of(),
                null);
    }

    private static X509Certificate issue() throws IssuanceException {
        return ca.issue(new IssuanceRequest(
                        CaFixture.holderSubject(),
                        CaFixture.ecKey("secp256r1"),
                        CertificateProfile.SIGNING,
                        START.minusSeconds(86400),
                        START.plus(Duration.ofDays(365))))
                .certificate();
    }
}
