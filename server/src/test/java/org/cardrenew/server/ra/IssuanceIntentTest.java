package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.ca.IssuanceRequest;
import org.cardrenew.ca.IssuedCertificate;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Audit the intent before the CA signs (issue 13 item 7): the server "crashes" right after the CA signed, before the
 * certificates are stored and the outcome is recorded. The certificate the CA signed must still have a record (the
 * intent, naming its key), and the renewal resumes to completion.
 */
@TestPropertySource(
        properties = {
            "cardrenew.data-dir=target/test-data/issuance-intent",
            "spring.datasource.url=jdbc:h2:mem:cardrenew-intent;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        })
class IssuanceIntentTest extends ApiTestBase {

    /** The real embedded CA, spied: when armed, the server fails right after the CA signed (before anything is stored). */
    @MockitoSpyBean
    private EmbeddedCa embeddedCa;

    private final Crash ca = new Crash();

    /** What the armed CA signed before it "crashed". */
    static final class Crash {
        final List<X509Certificate> signed = new CopyOnWriteArrayList<>();
        volatile boolean armed;
    }

    @BeforeEach
    void crashAfterSigningWhenArmed() throws Exception {
        doAnswer(call -> {
                    IssuedCertificate issued = (IssuedCertificate) call.callRealMethod();
                    if (ca.armed) {
                        ca.signed.add(issued.certificate());
                        throw new IllegalStateException("crash right after the CA signed");
                    }
                    return issued;
                })
                .when(embeddedCa)
                .issue(any(IssuanceRequest.class));
    }

    @AfterEach
    void disarm() {
        ca.armed = false;
    }

    @Test
    void aCertificateSignedJustBeforeACrashHasItsIntentRecordAndTheRenewalResumes() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = renewalRequest(renewable.token(), renewable.card(), next);
        ca.armed = true;

        RaRefusedException crash = catchThrowableOfType(RaRefusedException.class, () -> client.renew(request));

        assertThat(crash.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(ca.signed).hasSize(1);
        X509Certificate orphan = ca.signed.get(0);
        assertThat(certificates.findBySerial(orphan.getSerialNumber().toString(16)))
                .as("never stored")
                .isEmpty();
        AuditRecord intent = intentsFor(renewable.card()).get(0);
        assertThat(intent.code()).isEqualTo("RENEWAL");
        assertThat(intent.detail())
                .contains(
                        "sha256:" + KeyHash.of(orphan.getPublicKey()).hex(),
                        "sha256:" + KeyHash.of(next.encryptionKeys.getPublic()).hex());

        ca.armed = false;
        RenewalResponse resumed = client.renew(request);

        assertThat(resumed.state()).isEqualTo(RenewalState.ISSUED);
        assertThat(resumed.renewalId()).isEqualTo(intent.renewalId());
        List<AuditRecord> records = auditRecords.all().stream()
                .filter(r -> resumed.renewalId().equals(r.renewalId()))
                .toList();
        AuditRecord outcome = records.stream()
                .filter(r -> r.action().equals("RENEWAL_RESUMED"))
                .findFirst()
                .orElseThrow();
        AuditRecord secondIntent = intentsFor(renewable.card()).get(1);
        assertThat(secondIntent.seq()).as("intent before outcome").isLessThan(outcome.seq());
        String newSigning =
                Card.certificate(resumed.signingCertificate()).getSerialNumber().toString(16);
        assertThat(outcome.certificateSerial()).contains(newSigning);
    }

    @Test
    void everyRenewalRecordsItsIntentBeforeItsOutcome() throws Exception {
        Renewable renewable = renewableCard();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), Card.p256()));

        List<AuditRecord> records = auditRecords.all().stream()
                .filter(r -> issued.renewalId().equals(r.renewalId()))
                .toList();
        assertThat(records).extracting(AuditRecord::action).containsSubsequence("ISSUANCE_INTENDED", "RENEWAL_ISSUED");
    }

    private List<AuditRecord> intentsFor(Card card) {
        return auditRecords.all().stream()
                .filter(r ->
                        r.action().equals("ISSUANCE_INTENDED") && card.serial().equals(r.actor()))
                .toList();
    }
}
