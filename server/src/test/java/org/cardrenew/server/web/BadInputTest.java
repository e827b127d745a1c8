package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.Csrs;
import org.cardrenew.server.testsupport.ForeignCa;
import org.cardrenew.server.testsupport.Keys;
import org.cardrenew.server.testsupport.OnH2;
import org.cardrenew.server.testsupport.SelfMadeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad input gets its own code, issues nothing, and is audited (or, from nobody authenticated, counted). */
@OnH2
class BadInputTest extends ApiTestBase {

    @Autowired
    private JdbcClient jdbc;

    // --- renewal CSRs ---

    @Test
    void aMalformedCsrIsRefused() throws Exception {
        Renewable r = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = new RenewalRequest(
                r.token(),
                Base64.getEncoder().encodeToString("not a CSR".getBytes()),
                Csrs.of(next.encryptionKeys, r.card().encryption.getSubjectX500Principal()));

        assertRefused(ErrorCode.CSR_MALFORMED, () -> client.renew(request));
    }

    @Test
    void aTruncatedCsrIsRefused() throws Exception {
        Renewable r = renewableCard();
        Card next = Card.p256();
        byte[] der = Base64.getDecoder()
                .decode(Csrs.of(next.signingKeys, r.card().signing.getSubjectX500Principal()));
        RenewalRequest request = new RenewalRequest(
                r.token(),
                Base64.getEncoder().encodeToString(Arrays.copyOf(der, der.length - 10)),
                Csrs.of(next.encryptionKeys, r.card().encryption.getSubjectX500Principal()));

        assertRefused(ErrorCode.CSR_MALFORMED, () -> client.renew(request));
    }

    @Test
    void aCsrWithAnotherSubjectIsRefused() throws Exception {
        Renewable r = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = new RenewalRequest(
                r.token(),
                Csrs.of(next.signingKeys, new X500Principal("C=TW, O=內政部, CN=王大明, SERIALNUMBER=A123456789")),
                Csrs.of(next.encryptionKeys, r.card().encryption.getSubjectX500Principal()));

        assertRefused(ErrorCode.CSR_SUBJECT_MISMATCH, () -> client.renew(request));
    }

    @Test
    void aCsrSignedByAnotherKeyFailsProofOfPossession() throws Exception {
        Renewable r = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = new RenewalRequest(
                r.token(),
                Csrs.signedByOther(
                        next.signingKeys.getPublic(),
                        Keys.p256().getPrivate(),
                        r.card().signing.getSubjectX500Principal()),
                Csrs.of(next.encryptionKeys, r.card().encryption.getSubjectX500Principal()));

        assertRefused(ErrorCode.CSR_SIGNATURE_INVALID, () -> client.renew(request));
    }

    @Test
    void aCsrSignedWithSha1IsRefused() throws Exception {
        Renewable r = renewableCard();
        KeyPair rsa = Keys.rsa(2048);
        RenewalRequest request = new RenewalRequest(
                r.token(),
                Csrs.withAlgorithm(rsa, r.card().signing.getSubjectX500Principal(), "SHA1withRSA"),
                Csrs.of(Keys.p256(), r.card().encryption.getSubjectX500Principal()));

        assertRefused(ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED, () -> client.renew(request));
    }

    @Test
    void aPemCsrIsAccepted() throws Exception {
        Renewable r = renewableCard();
        Card next = Card.p256();
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(Base64.getDecoder()
                                .decode(Csrs.of(
                                        next.signingKeys, r.card().signing.getSubjectX500Principal())))
                + "\n-----END CERTIFICATE REQUEST-----\n";

        RenewalResponse issued = client.renew(new RenewalRequest(
                r.token(), pem, Csrs.of(next.encryptionKeys, r.card().encryption.getSubjectX500Principal())));
        assertThat(Card.certificate(issued.signingCertificate()).getPublicKey())
                .isEqualTo(next.signingKeys.getPublic());
    }

    @Test
    void theCardsCurrentKeyIsNotNew() throws Exception {
        Renewable r = renewableCard();
        Card reuse = new Card(r.card().signingKeys, Keys.p256());

        assertRefused(ErrorCode.KEY_NOT_NEW, () -> client.renew(renewalRequest(r.token(), r.card(), reuse)));
    }

    @Test
    void aKeyCertifiedForSomeoneElseIsNotNew() throws Exception {
        Card someoneElse = Card.p256();
        enroll(someoneElse);
        Renewable r = renewableCard();
        Card reuse = new Card(Keys.p256(), someoneElse.encryptionKeys);

        assertRefused(ErrorCode.KEY_NOT_NEW, () -> client.renew(renewalRequest(r.token(), r.card(), reuse)));
    }

    @Test
    void anRsa1024KeyIsRefused() throws Exception {
        Renewable r = renewableCard();
        Card weak = new Card(Keys.rsa(1024), Keys.p256());

        assertRefused(ErrorCode.KEY_TYPE_UNSUPPORTED, () -> client.renew(renewalRequest(r.token(), r.card(), weak)));
    }

    @Test
    void theSameKeyForSigningAndEncryptionIsRefused() throws Exception {
        Renewable r = renewableCard();
        KeyPair one = Keys.p256();

        assertRefused(
                ErrorCode.KEYS_IDENTICAL, () -> client.renew(renewalRequest(r.token(), r.card(), new Card(one, one))));
    }

    @Test
    void anUnknownRenewalTokenIsRefused() throws Exception {
        Renewable r = renewableCard();

        assertRefused(
                ErrorCode.RENEWAL_TOKEN_INVALID,
                () -> client.renew(renewalRequest("forged-token", r.card(), Card.p256())));
    }

    @Test
    void renewalIsRefusedOneSecondAfterExpiryEvenWithAToken() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Instant notAfter = card.signing.getNotAfter().toInstant();
        clock.set(notAfter.minusSeconds(60));
        String token = status(card).renewalToken();
        clock.set(notAfter.plusSeconds(1));

        assertRefused(ErrorCode.CERTIFICATE_EXPIRED, () -> client.renew(renewalRequest(token, card, Card.p256())));
    }

    // --- status and challenges ---

    @Test
    void aChallengeWhoseSignatureFailedIsSpentAndIssuedNoToken() throws Exception {
        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);
        long tokensBefore = jdbc.sql("SELECT COUNT(*) FROM challenge WHERE token_sha256 IS NOT NULL")
                .query(Long.class)
                .single();
        ChallengeResponse challenge = client.challenge();
        String wrong = card.sign(SignedPayloads.status("another nonce"));
        assertRefused(
                ErrorCode.SIGNATURE_INVALID,
                () -> client.status(new StatusRequest(
                        challenge.challengeId(), card.signingCertificateBase64(), wrong, card.algorithm())));

        StatusRequest right = statusProof(card, challenge);
        assertRefused(ErrorCode.CHALLENGE_USED, () -> client.status(right));
        // the failed signature spent the challenge without a token's hash, and the replay stored nothing
        assertThat(jdbc.sql("SELECT COUNT(*) FROM challenge WHERE token_sha256 IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(tokensBefore);
    }

    @Test
    void aReplayedChallengeIsRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);
        ChallengeResponse challenge = client.challenge();
        StatusRequest request = statusProof(card, challenge);
        client.status(request);

        assertRefused(ErrorCode.CHALLENGE_USED, () -> client.status(request));
    }

    @Test
    void anExpiredChallengeIsRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);
        ChallengeResponse challenge = client.challenge();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertRefused(ErrorCode.CHALLENGE_EXPIRED, () -> client.status(statusProof(card, challenge)));
    }

    @Test
    void anUnknownChallengeIsRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);

        assertRefused(
                ErrorCode.CHALLENGE_UNKNOWN,
                () -> client.status(new StatusRequest(
                        "00000000-0000-0000-0000-000000000000",
                        card.signingCertificateBase64(),
                        "AAAA",
                        card.algorithm())));
    }

    @Test
    void aChallengeSignatureThatDoesNotMatchTheCertificateIsRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);
        ChallengeResponse challenge = client.challenge();
        String otherKeysSignature =
                Card.sign(Keys.p256().getPrivate(), "SHA256withECDSA", SignedPayloads.status(challenge.nonce()));

        assertRefused(
                ErrorCode.SIGNATURE_INVALID,
                () -> client.status(new StatusRequest(
                        challenge.challengeId(),
                        card.signingCertificateBase64(),
                        otherKeysSignature,
                        card.algorithm())));
    }

    @Test
    void aSignatureAlgorithmOutsideTheAllowedSetIsRefused() throws Exception {
        Card card = Card.rsa();
        enroll(card);
        ChallengeResponse challenge = client.challenge();
        String sha1 = Card.sign(card.signingKeys.getPrivate(), "SHA1withRSA", SignedPayloads.status(challenge.nonce()));

        assertRefused(
                ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                () -> client.status(new StatusRequest(
                        challenge.challengeId(), card.signingCertificateBase64(), sha1, "SHA1withRSA")));
    }

    @Test
    void aCertificateFromAnotherCaIsUnknown() throws Exception {
        Card genuine = Card.p256();
        enroll(genuine);
        Card impostor = Card.p256();
        Instant now = clock.instant();
        impostor.signing = ForeignCa.issue(
                genuine.signing.getIssuerX500Principal(),
                genuine.signing.getSubjectX500Principal(),
                impostor.signingKeys.getPublic(),
                now.minus(Duration.ofDays(700)),
                now.plus(Duration.ofDays(10)));
        long before = certificates.count();

        StatusResponse status = status(impostor);

        assertThat(status.status()).isEqualTo(CertificateStatus.UNKNOWN);
        assertThat(status.renewalToken()).isNull();
        assertThat(certificates.count()).isEqualTo(before);
        assertThat(lastAudit().action()).isEqualTo("STATUS_SHOWN");
        assertThat(lastAudit().code()).isEqualTo("UNKNOWN");
    }

    /**
     * Anyone can sign a challenge with the key of a certificate of their own making; one whose name the JDK reads but
     * BouncyCastle does not failed when the status page showed its subject: HTTP 500.
     */
    @ParameterizedTest
    @ValueSource(strings = {SelfMadeCertificates.ODD_LENGTH_BMP_STRING, SelfMadeCertificates.INVALID_UTF8_STRING})
    void aSelfMadeCertificateWhoseNameIsNotDerIsRefusedAsMalformed(String commonName) throws Exception {
        Card stranger = Card.p256();
        Instant now = clock.instant();
        stranger.signing = SelfMadeCertificates.withCommonName(
                stranger.signingKeys, commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
        long before = certificates.count();

        assertRefused(ErrorCode.CERTIFICATE_MALFORMED, () -> status(stranger));
        assertThat(certificates.count()).isEqualTo(before);
    }

    @Test
    void aRevokedCertificateIsShownRevokedAndCannotBeRenewed() throws Exception {
        Renewable r = renewableCard();
        certificates.revoke(r.card().serial(), clock.instant(), "keyCompromise");

        StatusResponse status = status(r.card());
        assertThat(status.status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(status.renewalToken()).isNull();
        assertThat(lastAudit().code()).isEqualTo("REVOKED");
        assertRefused(
                ErrorCode.CERTIFICATE_REVOKED, () -> client.renew(renewalRequest(r.token(), r.card(), Card.p256())));
    }

    // --- confirmation ---

    @Test
    void aConfirmationSignedByTheOldKeyIsRefused() throws Exception {
        Renewable r = renewableCard();
        RenewalResponse issued = client.renew(renewalRequest(r.token(), r.card(), Card.p256()));

        assertRefused(
                ErrorCode.CONFIRMATION_INVALID,
                () -> client.confirm(
                        issued.renewalId(),
                        new ConfirmationRequest(
                                r.card().sign(SignedPayloads.confirmation(issued.renewalId())),
                                r.card().algorithm())));
    }

    @Test
    void aConfirmationSignedByTheNewEncryptionKeyIsRefused() throws Exception {
        // Only the key the new signing certificate certifies confirms (the server checks with the renewal's stored
        // signing key once the certificate's key hash matches it).
        Renewable r = renewableCard();
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(r.token(), r.card(), next));

        assertRefused(
                ErrorCode.CONFIRMATION_INVALID,
                () -> client.confirm(
                        issued.renewalId(),
                        new ConfirmationRequest(
                                Card.sign(
                                        next.encryptionKeys.getPrivate(),
                                        next.algorithm(),
                                        SignedPayloads.confirmation(issued.renewalId())),
                                next.algorithm())));
        assertThat(client.confirm(
                                issued.renewalId(),
                                new ConfirmationRequest(
                                        next.sign(SignedPayloads.confirmation(issued.renewalId())), next.algorithm()))
                        .state())
                .isEqualTo(RenewalState.COMPLETED);
    }

    @Test
    void aRenewalOfAnotherCardIsNotFoundWithThisCardsToken() throws Exception {
        Renewable other = renewableCard();
        RenewalResponse othersRenewal = client.renew(renewalRequest(other.token(), other.card(), Card.p256()));
        Renewable mine = renewableCard();

        assertRefused(ErrorCode.RENEWAL_NOT_FOUND, () -> client.renewal(othersRenewal.renewalId(), mine.token()));
    }

    @Test
    void confirmingAnUnknownRenewalIsNotFound() {
        Card card = Card.p256();
        String id = "6b1e2c2e-0000-4000-8000-000000000000";
        assertRefused(
                ErrorCode.RENEWAL_NOT_FOUND,
                () -> client.confirm(
                        id, new ConfirmationRequest(card.sign(SignedPayloads.confirmation(id)), card.algorithm())));
    }

    // --- enrollment and admin ---

    @Test
    void enrollmentChecksProofOfPossessionThoughItIgnoresTheCsrSubject() {
        KeyPair keys = Keys.p256();
        assertRefused(
                ErrorCode.CSR_SIGNATURE_INVALID,
                () -> client.enroll(
                        new EnrollmentRequest(
                                holderId(),
                                "王小明",
                                "內政部",
                                null,
                                "zh-TW",
                                Csrs.signedByOther(
                                        keys.getPublic(), Keys.p256().getPrivate(), new X500Principal("CN=x")),
                                Csrs.of(Keys.p256(), new X500Principal("CN=x")),
                                null,
                                null),
                        ADMIN_TOKEN));
    }

    @Test
    void enrollmentSetsTheSubjectFromTheHolderData() throws Exception {
        Card card = Card.p256();
        String holderId = holderId();
        enroll(card, holderId, null, null);

        assertThat(card.signing
                        .getSubjectX500Principal()
                        .getName(X500Principal.RFC2253, Map.of("2.5.4.5", "SERIALNUMBER")))
                .isEqualTo("SERIALNUMBER=" + holderId + ",CN=王小明,O=內政部,C=TW");
        assertThat(card.signing.getNotAfter().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofDays(730)));
    }

    @Test
    void explicitValidityIsRefusedByDefault() {
        Instant now = clock.instant();
        assertRefused(
                ErrorCode.EXPLICIT_VALIDITY_NOT_ALLOWED,
                () -> enroll(Card.p256(), holderId(), now, now.plus(Duration.ofDays(20))));
    }

    @Test
    void invalidHolderDataIsRefused() {
        assertRefused(ErrorCode.HOLDER_INVALID, () -> enroll(Card.p256(), "not a valid id!", null, null));
    }

    @Test
    void enrollmentWithoutTheAdminTokenIsRefused() throws Exception {
        long auditBefore = auditRecords.count();
        HttpResponse<String> response = post(ApiPaths.ENROLLMENTS, "{}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"ADMIN_UNAUTHORIZED\"");
        assertThat(auditRecords.count())
                .as("refused before authentication: not chained")
                .isEqualTo(auditBefore);
    }

    @Test
    void enrollmentWithAWrongAdminTokenIsRefused() throws Exception {
        Card card = Card.p256();
        assertRefused(
                ErrorCode.ADMIN_UNAUTHORIZED,
                () -> client.enroll(
                        new EnrollmentRequest(
                                holderId(),
                                "王小明",
                                "內政部",
                                null,
                                "zh-TW",
                                Csrs.of(card.signingKeys, new X500Principal("CN=x")),
                                Csrs.of(card.encryptionKeys, new X500Principal("CN=x")),
                                null,
                                null),
                        "wrong-token"));
    }

    // --- malformed requests ---

    @Test
    void malformedJsonIsRequestInvalidInTraditionalChineseByDefault() throws Exception {
        long auditBefore = auditRecords.count();
        HttpResponse<String> response = post(ApiPaths.STATUS, "{\"challengeId\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains("\"code\":\"REQUEST_INVALID\"")
                .contains("請求格式不正確")
                .doesNotContain("Exception");
        assertThat(auditRecords.count())
                .as("refused before authentication: not chained")
                .isEqualTo(auditBefore);
    }

    @Test
    void aFieldOfTheWrongTypeIsRequestInvalid() throws Exception {
        HttpResponse<String> response =
                post(ApiPaths.RENEWALS, "{\"renewalToken\": {\"a\": 1}}", "Accept-Language", "en");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"REQUEST_INVALID\"").contains("The request is not valid");
    }

    @Test
    void missingFieldsAreRequestInvalid() {
        assertRefused(ErrorCode.REQUEST_INVALID, () -> client.renew(new RenewalRequest(null, null, null)));
    }

    @Test
    void aRenewalIdThatIsNotAnIdIsRequestInvalid() throws Exception {
        HttpResponse<String> response = get(ApiPaths.renewal("not-an-id"), "Authorization", "Bearer x");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"REQUEST_INVALID\"");
    }

    @Test
    void anUnknownPathIsAJsonError() throws Exception {
        HttpResponse<String> response = get("/api/v1/no-such-thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"REQUEST_INVALID\"");
    }
}
