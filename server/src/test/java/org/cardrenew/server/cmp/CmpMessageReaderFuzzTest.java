package org.cardrenew.server.cmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.cert.cmp.CertificateConfirmationContent;
import org.bouncycastle.cert.cmp.CertificateStatus;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.CertificateId;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.PairStatus;
import org.cardrenew.server.store.StoredCertificate;
import org.cardrenew.server.testsupport.ForeignCa;
import org.cardrenew.server.testsupport.Keys;
import org.cardrenew.server.tls.ServerIdentity;

/**
 * Coverage-guided fuzzing of what the CMP endpoint does with the bytes before it asks the store anything, without
 * Spring (fast enough for the short run, docs/FUZZING.md): {@link CmpMessageReader} (DER to PKIMessage),
 * {@link CmpProtection} (algorithm allow-list, extraCerts, signature), the body parsers of kur ({@link KeyRequests}:
 * template, key, proof of possession), pollReq and certConf — the body as if the protection had verified, since a
 * fuzzer cannot forge a card's signature — and the signed CMP error answer. Every failure is a {@link CmpRefusal}
 * with a code of its stage or a failure {@link CmpMessageReader#isMalformedStructure} calls malformed input; the
 * answer is a CMP error message echoing the transactionID, bounded, with no exception text. Seeds:
 * src/test/resources/org/cardrenew/server/cmp/CmpMessageReaderFuzzTestInputs.
 */
class CmpMessageReaderFuzzTest {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final X500Principal HOLDER =
            new X500Principal("C=TW, O=Fuzz Agency, CN=Fuzz Holder, SERIALNUMBER=F123456789");
    private static final CmpResponses RESPONSES = responses();
    private static final CurrentPair PAIR = pair();
    /** The largest answer: our identity's chain, the echoed header fields (bounded by the body limit) and a text. */
    private static final int MAX_ANSWER = 64 * 1024 + 8 * 1024;

    @FuzzTest(maxDuration = "10s")
    void anyMessageIsReadOrRefusedWithAStableCode(byte[] der) {
        PKIMessage message;
        try {
            message = CmpMessageReader.read(der);
        } catch (CmpRefusal refusal) {
            assertThat(refusal.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
            assertAnswered(null, refusal);
            return;
        }
        CmpRefusal refusal = null;
        try {
            CmpProtection.verify(message);
        } catch (CmpRefusal e) {
            assertThat(e.code())
                    .isIn(
                            ErrorCode.SIGNATURE_INVALID,
                            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                            ErrorCode.CERTIFICATE_UNKNOWN);
            refusal = e;
        } catch (RuntimeException e) {
            refusal = malformed(message, e);
        }
        try {
            readBody(message);
        } catch (CmpRefusal e) {
            assertThat(e.code())
                    .isIn(
                            ErrorCode.REQUEST_INVALID,
                            ErrorCode.CSR_MALFORMED,
                            ErrorCode.CSR_SIGNATURE_INVALID,
                            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED);
            refusal = refusal == null ? e : refusal;
        } catch (RuntimeException e) {
            CmpRefusal malformed = malformed(message, e);
            refusal = refusal == null ? malformed : refusal;
        }
        if (refusal != null) {
            assertAnswered(message, refusal);
        }
    }

    /** What CmpService does with each body type once the card is known (KeyRequests, PollReqContent, certConf). */
    private static void readBody(PKIMessage message) {
        switch (message.getBody().getType()) {
            case PKIBody.TYPE_KEY_UPDATE_REQ -> {
                CertReqMsg[] requests = CertReqMessages.getInstance(
                                message.getBody().getContent())
                        .toCertReqMsgArray();
                // CmpService refuses other counts before parsing any of them.
                if (requests.length >= 1 && requests.length <= 2) {
                    for (CertReqMsg request : requests) {
                        KeyRequests.KeyRequest parsed = KeyRequests.parse(request, PAIR);
                        assertThat(parsed.request().publicKey()).isNotNull();
                    }
                }
            }
            case PKIBody.TYPE_POLL_REQ -> CmpMessageReader.pollCertReqId(message.getBody());
            case PKIBody.TYPE_CERT_CONFIRM -> {
                // CmpConfirmation reads each status's certReqId and statusInfo (its certHash only inside a catch).
                for (CertificateStatus status : CertificateConfirmationContent.fromPKIBody(
                                message.getBody(), new DefaultDigestAlgorithmIdentifierFinder())
                        .getStatusMessages()) {
                    assertThat(status.getCertRequestID()).isNotNull();
                    if (status.getStatusInfo() != null) {
                        assertThat(status.getStatusInfo().getStatus()).isNotNull();
                    }
                }
            }
            default -> {}
        }
    }

    /** A library failure is only acceptable where CmpService answers it as malformed input, never as our failure. */
    private static CmpRefusal malformed(PKIMessage message, RuntimeException e) {
        assertThat(CmpMessageReader.isMalformedStructure(e))
                .as("answered as malformed input, not 500-like: %s", e)
                .isTrue();
        return CmpMessageReader.malformedBody(message.getBody().getType());
    }

    /** The error answer CmpService sends for the refusal: a signed CMP error message, bounded, without internals. */
    private static void assertAnswered(PKIMessage request, CmpRefusal refusal) {
        assertThat(refusal.getMessage()).doesNotContain("Exception").doesNotContain("java.");
        byte[] answer = RESPONSES.error(
                request == null ? null : request.getHeader(),
                refusal.failureBits(),
                refusal.code().name() + ": " + refusal.getMessage());
        assertThat(answer.length).as("answer size").isLessThan(MAX_ANSWER);
        PKIMessage parsed = PKIMessage.getInstance(answer);
        assertThat(parsed.getBody().getType()).isEqualTo(PKIBody.TYPE_ERROR);
        if (request != null && request.getHeader().getTransactionID() != null) {
            assertThat(parsed.getHeader().getTransactionID())
                    .isEqualTo(request.getHeader().getTransactionID());
        }
    }

    private static CmpResponses responses() {
        KeyPair keys = Keys.p256();
        X509Certificate certificate = ForeignCa.issue(
                new X500Principal("CN=CardRenew Issuing CA"),
                new X500Principal("CN=localhost"),
                keys.getPublic(),
                NOW,
                NOW.plusSeconds(86400L * 365));
        return new CmpResponses(
                new ServerIdentity(keys.getPrivate(), List.of(certificate)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** The card a kur without a subject in its template takes the subject from. */
    private static CurrentPair pair() {
        PairId pair = new PairId(1);
        return new CurrentPair(
                new CardPair(pair, new HolderId("F123456789"), PairStatus.ACTIVE, NOW, null, null),
                stored(pair, CertificateKind.SIGNING),
                stored(pair, CertificateKind.ENCRYPTION),
                Optional.empty());
    }

    private static StoredCertificate stored(PairId pair, CertificateKind kind) {
        KeyPair keys = Keys.p256();
        X509Certificate certificate = ForeignCa.issue(
                new X500Principal("CN=CardRenew Issuing CA"),
                HOLDER,
                keys.getPublic(),
                NOW,
                NOW.plusSeconds(86400L * 365));
        try {
            return new StoredCertificate(
                    new CertificateId(kind.ordinal() + 1),
                    pair,
                    kind,
                    certificate.getSerialNumber().toString(16),
                    HOLDER.getName(),
                    NOW,
                    NOW.plusSeconds(86400L * 365),
                    KeyHash.of(keys.getPublic()),
                    Der.of(certificate.getEncoded()),
                    null);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
