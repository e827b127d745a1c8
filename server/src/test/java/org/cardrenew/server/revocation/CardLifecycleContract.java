package org.cardrenew.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.cardrenew.ca.RevocationReason;
import org.cardrenew.ca.RevocationStatus;
import org.cardrenew.ca.SerialNumber;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.ra.UnconfirmedRenewals;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 12: a card revoked as a whole, and renewals issued but never confirmed closed after confirm-within — through
 * the API, with OCSP and the CRL as relying parties see them, on the database the subclass chooses.
 */
abstract class CardLifecycleContract extends ApiTestBase {

    private static final Duration CONFIRM_WITHIN = Duration.ofDays(7);

    @Autowired
    private OcspStatusLookup ocsp;

    @Autowired
    private UnconfirmedRenewals unconfirmed;

    @Autowired
    private RenewalRepository renewals;

    @Test
    void aCardScopeRevocationRevokesThePairAndTheNewPairOfAnOpenRenewalInOneGoAndTheCardRenewsNoMore()
            throws Exception {
        Renewable lost = renewableCard();
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(lost.token(), lost.card(), next));
        next.install(issued.signingCertificate(), issued.encryptionCertificate());

        HttpResponse<String> revoked = revoke(lost.card().serial(), "keyCompromise", "card");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).contains("\"scope\":\"card\"");
        List<X509Certificate> all = List.of(lost.card().signing, lost.card().encryption, next.signing, next.encryption);
        for (X509Certificate certificate : all) {
            assertThat(revoked.body()).contains(serial(certificate));
            assertRevoked(certificate, RevocationReason.KEY_COMPROMISE);
        }
        assertThat(auditRecords.all().stream()
                        .filter(r -> r.action().equals("CERTIFICATE_REVOKED")
                                && "scope card, named %s"
                                        .formatted(lost.card().serial())
                                        .equals(r.detail())))
                .hasSize(4);

        assertThat(status(lost.card()).status()).isEqualTo(CertificateStatus.REVOKED);
        assertRefused(ErrorCode.CERTIFICATE_REVOKED, () -> confirm(issued.renewalId(), next));
        assertRefused(
                ErrorCode.CERTIFICATE_REVOKED, () -> client.renew(renewalRequest(lost.token(), lost.card(), next)));
        assertRefused(ErrorCode.CERTIFICATE_REVOKED, () -> client.renewal(issued.renewalId(), lost.token()));
        assertThat(revoke(next.serial(), "keyCompromise", "card").body())
                .contains(ErrorCode.CERTIFICATE_REVOKED.name());
    }

    @Test
    void aCardScopeRevocationNamingTheRenewedPairAlsoRevokesThePairItSupersededWhoseEncryptionKeyTheCardKeeps()
            throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        next.install(issued.signingCertificate(), issued.encryptionCertificate());
        confirm(issued.renewalId(), next);

        assertThat(revoke(serial(next.encryption), "affiliationChanged", "card").statusCode())
                .isEqualTo(200);
        for (X509Certificate certificate :
                List.of(renewable.card().signing, renewable.card().encryption, next.signing, next.encryption)) {
            assertRevoked(certificate, RevocationReason.AFFILIATION_CHANGED);
        }
    }

    @Test
    void theDefaultScopeRevokesTheNamedCertificateOnlyAndAnUnknownScopeIsRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);
        HttpResponse<String> unknown = revoke(card.serial(), "keyCompromise", "everything");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains(ErrorCode.REQUEST_INVALID.name());
        assertThat(lastAudit().action()).isEqualTo("REVOCATION_REFUSED");
        assertThat(ocsp.statusOf(SerialNumber.ofHex(card.serial()))).isInstanceOf(RevocationStatus.Good.class);

        HttpResponse<String> one = revoke(card.serial(), "keyCompromise", null);
        assertThat(one.body()).contains("\"scope\":\"certificate\"", "\"revoked\":[\"" + card.serial() + "\"]");
        assertThat(ocsp.statusOf(SerialNumber.ofHex(serial(card.encryption))))
                .isInstanceOf(RevocationStatus.Good.class);
        assertThat(status(card).status()).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void anIssuedRenewalNeverConfirmedIsClosedByTheJobAndTheCardRenewsAfreshFromItsOldPair() throws Exception {
        Renewable renewable = renewableCard();
        Card abandoned = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), abandoned));
        abandoned.install(issued.signingCertificate(), issued.encryptionCertificate());
        RenewalId id = RenewalId.parse(issued.renewalId()).orElseThrow();

        clock.advance(CONFIRM_WITHIN);
        unconfirmed.closeDue();
        assertThat(renewals.find(id).orElseThrow().state()).as("at the limit").isEqualTo(RenewalState.ISSUED);
        clock.advance(Duration.ofSeconds(1));
        double closedBefore = closedMetric();
        assertThat(unconfirmed.closeDue()).isGreaterThanOrEqualTo(1);
        assertThat(closedMetric() - closedBefore)
                .as("cardrenew_decisions_total{action=RENEWAL_CLOSED_UNCONFIRMED}")
                .isGreaterThanOrEqualTo(1);
        assertThat(unconfirmed.closeDue()).as("nothing left to close").isZero();

        assertThat(renewals.find(id).orElseThrow().state()).isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
        assertRevoked(abandoned.signing, RevocationReason.CESSATION_OF_OPERATION);
        assertRevoked(abandoned.encryption, RevocationReason.CESSATION_OF_OPERATION);
        assertThat(ocsp.statusOf(SerialNumber.ofHex(renewable.card().serial())))
                .isInstanceOf(RevocationStatus.Good.class);
        assertThat(auditRecords.all()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("RENEWAL_CLOSED_UNCONFIRMED");
            assertThat(r.renewalId()).isEqualTo(issued.renewalId());
            assertThat(r.certificateSerial()).contains(abandoned.serial());
        });
        assertRefused(ErrorCode.RENEWAL_EXPIRED, () -> confirm(issued.renewalId(), abandoned));

        // The old pair is still valid: renewable again; the abandoned keys get the clear code, new keys a renewal.
        StatusResponse again = status(renewable.card());
        assertThat(again.status()).isEqualTo(CertificateStatus.RENEWABLE);
        // The card's next run hears why: the closed renewal, its state as the code, and the sentence for the holder.
        assertThat(again.renewalId()).isEqualTo(issued.renewalId());
        assertThat(again.renewalState()).isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
        assertThat(again.message()).contains("was closed and its certificates revoked");
        assertRefused(
                ErrorCode.RENEWAL_EXPIRED,
                () -> client.renew(renewalRequest(again.renewalToken(), renewable.card(), abandoned)));
        assertRefused(ErrorCode.RENEWAL_EXPIRED, () -> client.renewal(issued.renewalId(), again.renewalToken()));
        Card fresh = Card.p256();
        RenewalResponse renewed = client.renew(renewalRequest(again.renewalToken(), renewable.card(), fresh));
        assertThat(renewed.renewalId()).isNotEqualTo(issued.renewalId());
        assertThat(confirm(renewed.renewalId(), fresh).state()).isEqualTo(RenewalState.COMPLETED);
        StatusResponse renewedStatus = status(renewable.card());
        assertThat(renewedStatus.status()).isEqualTo(CertificateStatus.ALREADY_RENEWED);
        assertThat(renewedStatus.renewalId()).isEqualTo(renewed.renewalId());
        assertThat(renewedStatus.renewalState()).isEqualTo(RenewalState.COMPLETED);
    }

    @Test
    void aRenewableCardWhoseRenewalWasNeverClosedGetsNoClosedRenewalInItsStatus() throws Exception {
        StatusResponse status = status(renewableCard().card());
        assertThat(status.status()).isEqualTo(CertificateStatus.RENEWABLE);
        assertThat(status.renewalId()).isNull();
        assertThat(status.renewalState()).isNull();
        assertThat(status.message()).doesNotContain("closed");
    }

    @Test
    void anOverdueRenewalIsClosedAtRequestTimeBeforeTheJobRuns() throws Exception {
        Renewable renewable = renewableCard();
        Card late = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), late));
        late.install(issued.signingCertificate(), issued.encryptionCertificate());

        clock.advance(CONFIRM_WITHIN.plusSeconds(1));
        assertRefused(ErrorCode.RENEWAL_EXPIRED, () -> confirm(issued.renewalId(), late));
        assertThat(renewals.find(RenewalId.parse(issued.renewalId()).orElseThrow())
                        .orElseThrow()
                        .state())
                .isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
        assertRevoked(late.signing, RevocationReason.CESSATION_OF_OPERATION);

        // The old pair expires meanwhile: no fresh renewal then, the holder needs a new card.
        clock.set(renewable.card().signing.getNotAfter().toInstant().plusSeconds(1));
        assertThat(status(renewable.card()).status()).isEqualTo(CertificateStatus.EXPIRED);
    }

    @Test
    void aStatusCheckClosesAnOverdueRenewalAndAnswersTheOldPairsOwnStatus() throws Exception {
        Renewable renewable = renewableCard();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), Card.p256()));
        assertThat(status(renewable.card()).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);

        clock.advance(CONFIRM_WITHIN.plusSeconds(1));
        StatusResponse afterClosing = status(renewable.card());
        assertThat(afterClosing.status()).isEqualTo(CertificateStatus.RENEWABLE);
        assertThat(afterClosing.renewalId()).isEqualTo(issued.renewalId());
        assertThat(afterClosing.renewalState()).isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
        assertThat(afterClosing.message()).contains("was closed and its certificates revoked");
        RaClient chinese = new RaClient(URI.create("http://localhost:" + port), "zh-TW");
        ChallengeResponse challenge = chinese.challenge();
        StatusResponse inChinese = chinese.status(new StatusRequest(
                challenge.challengeId(),
                renewable.card().signingCertificateBase64(),
                renewable.card().sign(SignedPayloads.status(challenge.nonce())),
                renewable.card().algorithm()));
        assertThat(inChinese.renewalState()).isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
        assertThat(inChinese.message()).contains("該次展期已關閉");
        assertThat(renewals.find(RenewalId.parse(issued.renewalId()).orElseThrow())
                        .orElseThrow()
                        .state())
                .isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
    }

    private void assertRevoked(X509Certificate certificate, RevocationReason reason) throws Exception {
        RevocationStatus status = ocsp.statusOf(SerialNumber.ofHex(serial(certificate)));
        assertThat(status).as("OCSP: " + serial(certificate)).isInstanceOf(RevocationStatus.Revoked.class);
        assertThat(((RevocationStatus.Revoked) status).reason()).isEqualTo(reason);
        assertThat(crl().isRevoked(certificate))
                .as("CRL: " + serial(certificate))
                .isTrue();
    }

    private double closedMetric() {
        return meters.find("cardrenew.decisions").tag("action", "RENEWAL_CLOSED_UNCONFIRMED").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private X509CRL crl() throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/crl/issuing.crl"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(response.body()));
    }

    private HttpResponse<String> revoke(String serial, String reason, String scope) throws Exception {
        String json = Stream.of(
                        "\"serial\":\"" + serial + "\"",
                        "\"reason\":\"" + reason + "\"",
                        scope == null ? null : "\"scope\":\"" + scope + "\"")
                .filter(s -> s != null)
                .reduce((a, b) -> a + "," + b)
                .map(s -> "{" + s + "}")
                .orElseThrow();
        return post("/api/v1/admin/revocations", json, "Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
