package org.cardrenew.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardrenew.ca.CaKeyType;
import org.cardrenew.ca.CaSettings;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.ca.OcspResponder;
import org.cardrenew.ca.OcspSettings;
import org.cardrenew.ca.RevocationReason;
import org.cardrenew.ca.RevocationStatus;
import org.cardrenew.ca.RevocationStatusLookup;

/**
 * Coverage-guided fuzzing of the OCSP responder behind {@code /ocsp} (RFC 6960; {@link RevocationEndpoints} hands it
 * the body as it is) without Spring, fast enough for the short run (docs/FUZZING.md): the embedded CA's responder on a
 * PKCS#12 CA. Every input is answered with a well-formed OCSPResponse — successful, malformedRequest or unauthorized,
 * never internalError and never an exception — of bounded size; a successful one is signed by a responder certificate
 * of this CA and answers exactly the CertIDs of this CA that were asked, with the nonce echoed. A fuzzer cannot find
 * the SHA-1 of our CA's name and key, so every input that parses is asked a second time with its CertIDs (serials
 * and hash algorithms, parameters included, as fuzzed) rewritten to name our CA: then it must be answered successful unless it asks about
 * no CertID at all (an empty requestList is malformed), more than the responder's limit of CertIDs or carries a nonce it may refuse (RFC 8954). Seeds:
 * src/test/resources/org/cardrenew/server/revocation/OcspResponderFuzzTestInputs.
 */
class OcspResponderFuzzTest {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final EmbeddedCa CA = ca();
    private static final OcspResponder RESPONDER = CA.ocspResponder(OcspSettings.DEFAULT);
    private static final X509CertificateHolder ISSUER = holder(CA.chain().get(0));
    private static final DigestCalculatorProvider DIGESTS = digests();
    /** Some serials revoked, some unknown, the rest good: every status the responder can sign. */
    private static final RevocationStatusLookup LOOKUP =
            serial -> switch (serial.value().mod(BigInteger.valueOf(3)).intValue()) {
                case 0 -> new RevocationStatus.Good();
                case 1 -> new RevocationStatus.Revoked(NOW.minusSeconds(60), RevocationReason.KEY_COMPROMISE);
                default -> new RevocationStatus.Unknown();
            };
    /** The responder answers at most this many CertIDs (DelegatedOcspResponder.MAX_CERT_IDS). */
    private static final int MAX_CERT_IDS = 10;
    /** The largest response: ten answers, a nonce and the responder certificate fit in a few kilobytes. */
    private static final int MAX_RESPONSE = 8 * 1024;

    @FuzzTest(maxDuration = "10s")
    void anyRequestGetsAWellFormedResponse(byte[] request) throws Exception {
        assertAnswered(request, RESPONDER.respond(request, LOOKUP));
        OCSPReq parsed = parse(request);
        if (parsed == null) {
            return;
        }
        OCSPReq ours = askingOurCa(parsed);
        if (ours == null) {
            return;
        }
        OCSPResp answer = assertAnswered(ours.getEncoded(), RESPONDER.respond(ours.getEncoded(), LOOKUP));
        int asked = ours.getRequestList().length;
        if (asked >= 1
                && asked <= MAX_CERT_IDS
                && ours.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce) == null) {
            assertThat(answer.getStatus())
                    .as("status for %d CertIDs of our CA", asked)
                    .isEqualTo(OCSPRespBuilder.SUCCESSFUL);
        }
    }

    private static OCSPResp assertAnswered(byte[] request, byte[] response) throws Exception {
        assertThat(response.length).as("response size").isLessThan(MAX_RESPONSE);
        OCSPResp answer = new OCSPResp(response);
        assertThat(answer.getStatus())
                .as("OCSP response status")
                .isIn(OCSPRespBuilder.SUCCESSFUL, OCSPRespBuilder.MALFORMED_REQUEST, OCSPRespBuilder.UNAUTHORIZED);
        if (answer.getStatus() == OCSPRespBuilder.SUCCESSFUL) {
            assertSuccessfulAnswers(new OCSPReq(request), (BasicOCSPResp) answer.getResponseObject());
        }
        return answer;
    }

    private static void assertSuccessfulAnswers(OCSPReq request, BasicOCSPResp basic) throws Exception {
        X509CertificateHolder signer = basic.getCerts()[0];
        assertThat(signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ISSUER)))
                .isTrue();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer)))
                .isTrue();
        Set<BigInteger> asked = Arrays.stream(request.getRequestList())
                .map(r -> r.getCertID().getSerialNumber())
                .collect(Collectors.toSet());
        assertThat(request.getRequestList().length).isBetween(1, MAX_CERT_IDS);
        assertThat(basic.getResponses()).isNotEmpty().hasSizeLessThanOrEqualTo(request.getRequestList().length);
        for (SingleResp single : basic.getResponses()) {
            assertThat(single.getCertID().matchesIssuer(ISSUER, DIGESTS)).isTrue();
            assertThat(asked).contains(single.getCertID().getSerialNumber());
            assertThat(single.getThisUpdate().toInstant()).isEqualTo(NOW);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce))
                    .isEqualTo(nonce);
        }
    }

    private static OCSPReq parse(byte[] request) {
        try {
            return new OCSPReq(request);
        } catch (IOException | RuntimeException notOcsp) {
            return null;
        }
    }

    /**
     * The same request with every CertID naming our CA, in the CertID's own hash algorithm when we know it. The
     * algorithm's parameters are kept as fuzzed: a client that knows our CA's name and key (both public) can send
     * any, and the responder echoes the CertID into the response it signs.
     */
    private static OCSPReq askingOurCa(OCSPReq request) {
        try {
            OCSPReqBuilder builder = new OCSPReqBuilder();
            for (Req entry : request.getRequestList()) {
                CertificateID id = entry.getCertID();
                AlgorithmIdentifier hash = id.toASN1Primitive().getHashAlgorithm();
                builder.addRequest(new CertificateID(DIGESTS.get(hash), ISSUER, id.getSerialNumber()));
            }
            builder.setRequestExtensions(OCSPRequest.getInstance(request.getEncoded())
                    .getTbsRequest()
                    .getRequestExtensions());
            return builder.build();
        } catch (Exception unknownHashOrMalformed) {
            return null;
        }
    }

    private static EmbeddedCa ca() {
        try {
            Path dir = Files.createTempDirectory("ocsp-fuzz");
            return EmbeddedCa.openOrCreate(
                    CaSettings.pkcs12(dir.resolve("ca.p12"), "fuzz-ca-password".toCharArray())
                            .withKeyType(CaKeyType.P256),
                    Clock.fixed(NOW, ZoneOffset.UTC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DigestCalculatorProvider digests() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
