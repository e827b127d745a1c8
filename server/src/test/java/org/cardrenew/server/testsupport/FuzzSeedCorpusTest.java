package org.cardrenew.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIHeaderBuilder;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcaCertificateRequestMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.StatusRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seed corpora of the server's fuzz tests (docs/FUZZING.md), made here rather than kept as blobs of unknown
 * origin. Regenerate with
 * {@code ./mvnw -B -ntp -pl server -am test -Dtest=FuzzSeedCorpusTest -Dcardrenew.fuzz.write-seeds=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; every run checks that each corpus is there.
 */
class FuzzSeedCorpusTest {

    private static final Path RESOURCES = Path.of("src/test/resources/org/cardrenew/server");
    private static final X500Principal SUBJECT =
            new X500Principal("C=TW, O=Fuzz Agency, CN=Fuzz Holder, SERIALNUMBER=F123456789");

    @Test
    @EnabledIfSystemProperty(named = "cardrenew.fuzz.write-seeds", matches = "true")
    void writeTheSeeds() throws Exception {
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Path file = RESOURCES.resolve(seed.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, seed.getValue());
        }
    }

    @Test
    void everyFuzzTestHasItsSeeds() throws IOException {
        for (String corpus :
                Stream.concat(Stream.of(corpora()), SHARED.values().stream()).toList()) {
            Path dir = RESOURCES.resolve(corpus);
            assertThat(dir).as("seed corpus " + corpus).isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("seeds in " + corpus).isPositive();
            }
        }
    }

    /**
     * Targets that read the same input as another one (the short run's parser target and the endpoint target replayed
     * in the build) get the same seeds.
     */
    private static final Map<String, String> SHARED = Map.of(
            "est/EstBodyFuzzTestInputs/anyBodyIsParsedOrRefusedWithACode",
            "est/EstEndpointFuzzTestInputs/anyBodyIsAnsweredWithA4xx",
            "cmp/CmpMessageFuzzTestInputs/anyMessageGetsACmpErrorOrA4xx",
            "cmp/CmpMessageReaderFuzzTestInputs/anyMessageIsReadOrRefusedWithAStableCode",
            "revocation/OcspRequestFuzzTestInputs/anyRequestGetsAnOcspResponseOrA4xx",
            "revocation/OcspResponderFuzzTestInputs/anyRequestGetsAWellFormedResponse",
            "web/RaJsonFuzzTestInputs/anyBodyIsRefusedWithAStableCode",
            "ra/RaRequestFieldsFuzzTestInputs/anyRequestIsReadOrRefusedWithAStableCode");

    private static String[] corpora() {
        return new String[] {
            "ra/CertificationRequestFuzzTestInputs/anyDerIsParsedOrRefusedWithACsrCode",
            "est/EstBodyFuzzTestInputs/anyBodyIsParsedOrRefusedWithACode",
            "cmp/CmpMessageFuzzTestInputs/anyMessageGetsACmpErrorOrA4xx",
            "revocation/OcspRequestFuzzTestInputs/anyRequestGetsAnOcspResponseOrA4xx",
            "web/RaJsonFuzzTestInputs/anyBodyIsRefusedWithAStableCode"
        };
    }

    private static Map<String, byte[]> seeds() throws Exception {
        String[] c = corpora();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        KeyPair ec = Keys.p256();
        KeyPair rsa = Keys.rsa(2048);
        byte[] ecCsr = Csrs.der(ec.getPublic(), ec.getPrivate(), SUBJECT);
        seeds.put(c[0] + "/p256-csr.der", ecCsr);
        seeds.put(c[0] + "/rsa2048-csr.der", Csrs.der(rsa.getPublic(), rsa.getPrivate(), SUBJECT));
        seeds.put(c[0] + "/sha1-rsa-csr.der", Csrs.der(rsa.getPublic(), rsa.getPrivate(), SUBJECT, "SHA1withRSA"));
        seeds.put(
                c[0] + "/signed-by-other-key.der",
                Csrs.der(ec.getPublic(), Keys.p256().getPrivate(), SUBJECT));

        String base64 = Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ecCsr);
        seeds.put(c[1] + "/base64-lines.txt", base64.getBytes(StandardCharsets.US_ASCII));
        seeds.put(
                c[1] + "/pem.txt",
                ("-----BEGIN CERTIFICATE REQUEST-----\n" + base64 + "\n-----END CERTIFICATE REQUEST-----\n")
                        .getBytes(StandardCharsets.US_ASCII));

        X509Certificate card = selfSigned(ec);
        seeds.put(c[2] + "/kur-two-requests-signed.der", keyUpdate(card, ec, true));
        seeds.put(c[2] + "/kur-unprotected.der", keyUpdate(card, ec, false));

        X509Certificate issuer = selfSigned(Keys.p256());
        seeds.put(c[3] + "/one-certid-with-nonce.der", ocsp(issuer, true, BigInteger.valueOf(0x1234)));
        seeds.put(c[3] + "/two-certids.der", ocsp(issuer, false, BigInteger.ONE, BigInteger.TWO));

        JsonMapper json = JsonMapper.builder().build();
        String csr = Base64.getEncoder().encodeToString(ecCsr);
        String signature = Base64.getEncoder().encodeToString(new byte[70]);
        seeds.put(
                c[4] + "/0-status.json",
                endpoint(
                        0,
                        json.writeValueAsBytes(new StatusRequest(
                                "00000000-0000-0000-0000-000000000001",
                                Base64.getEncoder().encodeToString(card.getEncoded()),
                                signature,
                                "SHA256withECDSA"))));
        seeds.put(c[4] + "/1-renewal.json", endpoint(1, json.writeValueAsBytes(new RenewalRequest("token", csr, csr))));
        seeds.put(
                c[4] + "/2-confirmation.json",
                endpoint(2, json.writeValueAsBytes(new ConfirmationRequest(signature, "SHA256withECDSA"))));
        seeds.put(
                c[4] + "/3-enrollment.json",
                endpoint(
                        3,
                        json.writeValueAsBytes(new EnrollmentRequest(
                                "F123456789",
                                "王小明",
                                "數位發展部",
                                "f123456789@example.gov.tw",
                                "zh-TW",
                                csr,
                                csr,
                                null,
                                null))));
        Map<String, byte[]> shared = new LinkedHashMap<>();
        seeds.forEach((file, seed) -> SHARED.forEach((from, to) -> {
            if (file.startsWith(from + "/")) {
                shared.put(to + file.substring(from.length()), seed);
            }
        }));
        seeds.putAll(shared);
        return seeds;
    }

    private static byte[] endpoint(int index, byte[] body) {
        byte[] seed = new byte[body.length + 1];
        seed[0] = (byte) index;
        System.arraycopy(body, 0, seed, 1, body.length);
        return seed;
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name(SUBJECT.getName());
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.TEN,
                                Date.from(now),
                                Date.from(now.plus(Duration.ofDays(365))),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** RFC 4210 kur with two CertReqMsgs (signing and encryption), signature-protected by the old card key. */
    private static byte[] keyUpdate(X509Certificate old, KeyPair oldKeys, boolean protect) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] transaction = new byte[16];
        random.nextBytes(transaction);
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(oldKeys.getPrivate());
        org.bouncycastle.asn1.crmf.CertReqMsg[] requests = new org.bouncycastle.asn1.crmf.CertReqMsg[2];
        for (int i = 0; i < 2; i++) {
            KeyPair next = Keys.p256();
            JcaCertificateRequestMessageBuilder request =
                    new JcaCertificateRequestMessageBuilder(BigInteger.valueOf(i));
            request.setSubject(new X500Name(SUBJECT.getName()));
            request.setPublicKey(
                    SubjectPublicKeyInfo.getInstance(next.getPublic().getEncoded()));
            request.setProofOfPossessionSigningKeySigner(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(next.getPrivate()));
            requests[i] = request.build().toASN1Structure();
        }
        PKIBody body = new PKIBody(PKIBody.TYPE_KEY_UPDATE_REQ, new CertReqMessages(requests));
        GeneralName sender = new GeneralName(new X500Name(SUBJECT.getName()));
        GeneralName recipient = new GeneralName(new X500Name("CN=CardRenew CA"));
        if (!protect) {
            PKIHeaderBuilder header = new PKIHeaderBuilder(2, sender, recipient);
            header.setTransactionID(transaction);
            return new PKIMessage(header.build(), body).getEncoded();
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return new ProtectedPKIMessageBuilder(sender, recipient)
                .setBody(body)
                .setTransactionID(transaction)
                .setSenderNonce(nonce)
                .setMessageTime(new Date())
                .addCMPCertificate(new JcaX509CertificateHolder(old))
                .build(signer)
                .toASN1Structure()
                .getEncoded();
    }

    private static byte[] ocsp(X509Certificate issuer, boolean nonce, BigInteger... serials) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (BigInteger serial : serials) {
            builder.addRequest(new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    serial));
        }
        if (nonce) {
            builder.setRequestExtensions(new Extensions(new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                    false,
                    new DEROctetString(new DEROctetString(new byte[16]).getEncoded()))));
        }
        return builder.build().getEncoded();
    }
}
