package org.cardrenew.server.cmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.Keys;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CMP kur/kup and certConf/pkiConf (RFC 4210, RFC 9483) against the RA's policy, with a BouncyCastle client. */
@OnH2
class CmpKeyUpdateTest extends ApiTestBase {

    private CmpTestClient cmp;

    @BeforeEach
    void client() {
        cmp = new CmpTestClient(URI.create("http://localhost:" + port + "/.well-known/cmp"), clock);
    }

    @Test
    void kurWithBothRequestsIssuesThePairAndCertConfCompletesTheRenewal() throws Exception {
        Renewable renewable = renewableCard();
        Card card = renewable.card();
        Card next = Card.p256();

        CmpTestClient.Answer kup = kur(card, next);

        assertThat(kup.bodyType()).as(kup.text()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        assertThat(kup.certificates()).hasSize(2);
        X509Certificate signing = kup.certificates().get(0);
        X509Certificate encryption = kup.certificates().get(1);
        assertThat(signing.getPublicKey()).isEqualTo(next.signingKeys.getPublic());
        assertThat(encryption.getPublicKey()).isEqualTo(next.encryptionKeys.getPublic());
        assertThat(signing.getSubjectX500Principal().getEncoded())
                .isEqualTo(card.signing.getSubjectX500Principal().getEncoded());
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);

        // A repeated kur with the same keys (lost response) gets the same certificates, nothing issued again.
        long issued = certificates.count();
        assertThat(kur(card, next).certificates()).containsExactlyElementsOf(kup.certificates());
        assertThat(certificates.count()).isEqualTo(issued);

        CmpTestClient.Answer pkiConf =
                cmp.confirm(card.signing, card.signingKeys.getPrivate(), true, kup.certificates());

        assertThat(pkiConf.bodyType()).as(pkiConf.text()).isEqualTo(PKIBody.TYPE_CONFIRM);
        assertThat(lastAudit().action()).isEqualTo("RENEWAL_CONFIRMED");
        assertThat(status(card).status()).isEqualTo(CertificateStatus.ALREADY_RENEWED);
    }

    @Test
    void aRejectingCertConfLeavesTheRenewalResumable() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer kup = kur(card, Card.p256());

        CmpTestClient.Answer pkiConf =
                cmp.confirm(card.signing, card.signingKeys.getPrivate(), false, kup.certificates());

        assertThat(pkiConf.bodyType()).isEqualTo(PKIBody.TYPE_CONFIRM);
        assertThat(lastAudit().action()).isEqualTo("CONFIRMATION_REFUSED");
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }

    @Test
    void aCertConfStatusBeyondAnIntIsNotAnAcceptance() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer kup = kur(card, Card.p256());
        // 2^32: its low 32 bits are 0, "granted" to a reader that takes the INTEGER as an int.
        PKIStatusInfo outOfRange =
                PKIStatusInfo.getInstance(new DERSequence(new ASN1Integer(BigInteger.ONE.shiftLeft(32))));

        CmpTestClient.Answer pkiConf =
                cmp.confirm(card.signing, card.signingKeys.getPrivate(), outOfRange, kup.certificates());

        assertThat(pkiConf.bodyType()).isEqualTo(PKIBody.TYPE_CONFIRM);
        assertThat(lastAudit().action()).isEqualTo("CONFIRMATION_REFUSED");
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }

    @Test
    void implicitConfirmIsNotGrantedByDefault() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();

        CmpTestClient.Answer kup = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                true,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertThat(kup.bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        assertThat(kup.message().getHeader().getGeneralInfo()).isNull();
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }

    @Test
    void aCardOutsideItsWindowIsRefusedNotAuthorized() throws Exception {
        Card card = Card.p256();
        enroll(card);
        long issued = certificates.count();

        CmpTestClient.Answer error = kur(card, Card.p256());

        assertRefusal(error, PKIFailureInfo.notAuthorized, "NOT_YET_RENEWABLE");
        assertThat(certificates.count()).isEqualTo(issued);
        assertThat(lastAudit().code()).isEqualTo("NOT_YET_RENEWABLE");
    }

    @Test
    void aRevokedCardIsRefusedCertRevoked() throws Exception {
        Card card = renewableCard().card();
        post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + card.serial() + "\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);

        assertRefusal(kur(card, Card.p256()), PKIFailureInfo.certRevoked, "CERTIFICATE_REVOKED");
    }

    @Test
    void aProtectionThatDoesNotVerifyIsBadMessageCheck() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();

        CmpTestClient.Answer error = cmp.keyUpdate(
                card.signing,
                Keys.p256().getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        long chained = auditRecords.count();
        double counted = refusalsCounted(org.cardrenew.protocol.ErrorCode.SIGNATURE_INVALID);
        CmpTestClient.Answer again = cmp.keyUpdate(
                card.signing,
                Keys.p256().getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertRefusal(error, PKIFailureInfo.badMessageCheck, "SIGNATURE_INVALID");
        assertRefusal(again, PKIFailureInfo.badMessageCheck, "SIGNATURE_INVALID");
        // nobody authenticated: counted and logged, not chained (issue 13)
        assertThat(auditRecords.count()).isEqualTo(chained);
        assertThat(refusalsCounted(org.cardrenew.protocol.ErrorCode.SIGNATURE_INVALID))
                .isEqualTo(counted + 1);
    }

    @Test
    void anUnprotectedMessageIsBadMessageCheck() throws Exception {
        Card card = renewableCard().card();

        CmpTestClient.Answer error =
                cmp.sendRaw(cmp.unprotectedKeyUpdate(CmpTestClient.KeyRequest.of(0, Keys.p256(), card.signing)));

        assertRefusal(error, PKIFailureInfo.badMessageCheck, "SIGNATURE_INVALID");
    }

    @Test
    void aCertificateFromAnotherCaIsSignerNotTrusted() throws Exception {
        KeyPair keys = Keys.p256();
        X500Name name = new X500Name("C=TW, O=Elsewhere, CN=Mallory");
        X509Certificate foreign = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.TEN,
                                Date.from(clock.instant()),
                                Date.from(clock.instant().plusSeconds(86400)),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

        CmpTestClient.Answer error = cmp.keyUpdate(
                foreign,
                keys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, Keys.p256(), foreign),
                CmpTestClient.KeyRequest.of(1, Keys.p256(), foreign));

        assertRefusal(error, PKIFailureInfo.signerNotTrusted, "CERTIFICATE_UNKNOWN");
    }

    @Test
    void aProofOfPossessionByAnotherKeyIsBadPop() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();

        CmpTestClient.Answer error = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                new CmpTestClient.KeyRequest(0, next.signingKeys, card.signing, true, true, null),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertRefusal(error, PKIFailureInfo.badPOP, "CSR_SIGNATURE_INVALID");
    }

    @Test
    void aSha1ProofOfPossessionIsBadAlg() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();

        CmpTestClient.Answer error = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                new CmpTestClient.KeyRequest(0, next.signingKeys, card.signing, true, false, "SHA1withECDSA"),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertRefusal(error, PKIFailureInfo.badAlg, "SIGNATURE_ALGORITHM_UNSUPPORTED");
    }

    @Test
    void aKeyThisCaCertifiedBeforeIsDuplicateCertReq() throws Exception {
        Card card = renewableCard().card();

        CmpTestClient.Answer error = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, card.encryptionKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, Keys.p256(), card.encryption));

        assertRefusal(error, PKIFailureInfo.duplicateCertReq, "KEY_NOT_NEW");
    }

    @Test
    void aPairCanBeRenewedInTwoSingleRequestTransactionsTheFirstWaitingForTheSecond() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();

        CmpTestClient.Answer first = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing));
        assertThat(first.bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        assertThat(first.statuses()).containsExactly(PKIStatus.WAITING);
        assertThat(lastAudit().action()).isEqualTo("RENEWAL_PENDING");

        CmpTestClient.Answer second = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.encryptionKeys, card.encryption));
        assertThat(second.certificates()).hasSize(1);
        assertThat(second.certificates().get(0).getPublicKey()).isEqualTo(next.encryptionKeys.getPublic());

        CmpTestClient.Answer again = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing));
        assertThat(again.certificates()).hasSize(1);
        assertThat(again.certificates().get(0).getPublicKey()).isEqualTo(next.signingKeys.getPublic());
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }

    @Test
    void anOldCertIdOfAnotherCardIsBadCertId() throws Exception {
        Card card = renewableCard().card();
        Card other = Card.p256();
        enroll(other);

        assertRefusal(
                cmp.keyUpdate(
                        card.signing,
                        card.signingKeys.getPrivate(),
                        false,
                        CmpTestClient.KeyRequest.of(0, Keys.p256(), other.signing)),
                PKIFailureInfo.badCertId,
                "REQUEST_INVALID");
    }

    @Test
    void garbageIsBadDataFormat() throws Exception {
        assertRefusal(cmp.sendRaw(new byte[] {0x30, 0x01, 0x00}), PKIFailureInfo.badDataFormat, "REQUEST_INVALID");
    }

    @Test
    void aSha1ProtectionIsBadAlgEvenWithTheRightKey() throws Exception {
        Card card = renewableCard().card();
        long issued = certificates.count();
        cmp.protectionAlgorithm = "SHA1withECDSA";

        assertRefusal(kur(card, Card.p256()), PKIFailureInfo.badAlg, "SIGNATURE_ALGORITHM_UNSUPPORTED");
        assertThat(certificates.count()).isEqualTo(issued);
    }

    @Test
    void anRsaPssProtectionWithSha256IsAccepted() throws Exception {
        Card card = Card.rsa();
        enroll(card);
        moveIntoWindow(card);
        cmp.protectionAlgorithm = "SHA256withRSAandMGF1";

        CmpTestClient.Answer kup = kur(card, Card.p256());

        assertThat(kup.bodyType()).as(kup.text()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        assertThat(kup.certificates()).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("staleMessageTimes")
    void aMessageTimeOutsideTheWindowIsBadTime(Duration offset) throws Exception {
        Card card = renewableCard().card();
        long issued = certificates.count();
        cmp.messageTimeOffset = offset;

        assertRefusal(kur(card, Card.p256()), PKIFailureInfo.badTime, "REQUEST_INVALID");
        assertThat(certificates.count()).isEqualTo(issued);
    }

    static Stream<Arguments> staleMessageTimes() {
        return Stream.of(
                Arguments.argumentSet("no messageTime", (Duration) null),
                Arguments.argumentSet("six minutes old (window five)", Duration.ofMinutes(-6)),
                Arguments.argumentSet("six minutes ahead", Duration.ofMinutes(6)));
    }

    @Test
    void aMessageTimeWithinTheWindowIsAccepted() throws Exception {
        Card card = renewableCard().card();
        cmp.messageTimeOffset = Duration.ofMinutes(-4);

        assertThat(kur(card, Card.p256()).bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
    }

    @Test
    void aReplayedMessageIsBadSenderNonceAndAnsweredWithoutTheRa() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();
        assertThat(kur(card, next).bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        long records = auditRecords.count();

        assertRefusal(cmp.replayLast(), PKIFailureInfo.badSenderNonce, "REQUEST_INVALID");
        assertThat(auditRecords.count()).as("only the refusal").isEqualTo(records + 1);
        assertThat(lastAudit().action()).isEqualTo("RENEWAL_REFUSED");
    }

    @Test
    void aKurReusingATransactionIdIsTransactionIdInUse() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();
        assertThat(kur(card, next).bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);

        cmp.nextTransactionId = cmp.transactionId();

        assertRefusal(kur(card, next), PKIFailureInfo.transactionIdInUse, "REQUEST_INVALID");
    }

    @Test
    void aCertConfAfterTheCardWasRevokedDoesNotComplete() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer kup = kur(card, Card.p256());
        assertThat(kup.bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + card.serial() + "\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);

        assertRefusal(
                cmp.confirm(card.signing, card.signingKeys.getPrivate(), true, kup.certificates()),
                PKIFailureInfo.certRevoked,
                "CERTIFICATE_REVOKED");
        assertThat(auditRecords.all())
                .noneMatch(r ->
                        r.action().equals("RENEWAL_CONFIRMED") && card.serial().equals(r.actor()));
    }

    @Test
    void aCertConfAfterANewCertificateWasRevokedDoesNotComplete() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer kup = kur(card, Card.p256());
        post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + kup.certificates().get(0).getSerialNumber().toString(16) + "\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);

        assertRefusal(
                cmp.confirm(card.signing, card.signingKeys.getPrivate(), true, kup.certificates()),
                PKIFailureInfo.certRevoked,
                "CERTIFICATE_REVOKED");
        assertThat(status(card).status()).isNotEqualTo(CertificateStatus.ALREADY_RENEWED);
    }

    @Test
    void aPollAfterTheCardWasRevokedIsRefusedAndNothingIsIssued() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer waiting = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, Card.p256().signingKeys, card.signing));
        assertThat(waiting.statuses()).containsExactly(PKIStatus.WAITING);
        post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + card.serial() + "\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);
        long issued = certificates.count();

        assertRefusal(
                cmp.poll(card.signing, card.signingKeys.getPrivate(), 0),
                PKIFailureInfo.certRevoked,
                "CERTIFICATE_REVOKED");
        assertThat(certificates.count()).isEqualTo(issued);
    }

    /**
     * RFC 4210 §5.3.22: each pollReq entry is SEQUENCE { certReqId INTEGER }; an empty one made BouncyCastle throw an
     * ArrayIndexOutOfBoundsException, answered systemFailure as our own failure. It is malformed input: badDataFormat.
     */
    @Test
    void aPollReqEntryWithoutACertReqIdIsBadDataFormat() throws Exception {
        Card card = renewableCard().card();
        CmpTestClient.Answer waiting = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, Card.p256().signingKeys, card.signing));
        assertThat(waiting.statuses()).containsExactly(PKIStatus.WAITING);
        long issued = certificates.count();

        assertRefusal(
                cmp.poll(
                        card.signing,
                        card.signingKeys.getPrivate(),
                        new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.DERSequence())),
                PKIFailureInfo.badDataFormat,
                "REQUEST_INVALID");
        assertThat(certificates.count()).isEqualTo(issued);
    }

    @Test
    void aHeaderThatCannotBeEchoedStillGetsAnErrorMessageNotHttp500() throws Exception {
        Card card = renewableCard().card();
        cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, Card.p256().signingKeys, card.signing));
        // pvno 2^80: DER-valid, but no int; the protection no longer verifies either.
        org.bouncycastle.asn1.ASN1Sequence message = org.bouncycastle.asn1.ASN1Sequence.getInstance(cmp.lastSent());
        org.bouncycastle.asn1.ASN1Sequence header =
                org.bouncycastle.asn1.ASN1Sequence.getInstance(message.getObjectAt(0));
        org.bouncycastle.asn1.ASN1EncodableVector fields = new org.bouncycastle.asn1.ASN1EncodableVector();
        fields.add(new org.bouncycastle.asn1.ASN1Integer(java.math.BigInteger.TWO.pow(80)));
        for (int i = 1; i < header.size(); i++) {
            fields.add(header.getObjectAt(i));
        }
        org.bouncycastle.asn1.ASN1EncodableVector tampered = new org.bouncycastle.asn1.ASN1EncodableVector();
        tampered.add(new org.bouncycastle.asn1.DERSequence(fields));
        for (int i = 1; i < message.size(); i++) {
            tampered.add(message.getObjectAt(i));
        }

        assertRefusal(
                cmp.sendRaw(new org.bouncycastle.asn1.DERSequence(tampered).getEncoded()),
                PKIFailureInfo.badMessageCheck,
                "SIGNATURE_INVALID");
    }

    private CmpTestClient.Answer kur(Card card, Card next) throws Exception {
        return cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));
    }

    private static void assertRefusal(CmpTestClient.Answer answer, int failureBit, String code) {
        assertThat(answer.bodyType()).as("error body").isEqualTo(PKIBody.TYPE_ERROR);
        assertThat(answer.failInfo() & failureBit)
                .as("PKIFailureInfo bit, got " + answer.failInfo())
                .isNotZero();
        assertThat(answer.text()).startsWith(code);
    }
}
