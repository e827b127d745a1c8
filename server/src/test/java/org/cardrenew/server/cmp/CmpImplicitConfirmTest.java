package org.cardrenew.server.cmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With cardrenew.cmp.implicit-confirm-allowed=true a client's implicitConfirm completes the renewal with the kup. */
@TestPropertySource(
        properties = {
            "cardrenew.cmp.implicit-confirm-allowed=true",
            "cardrenew.data-dir=target/test-data/cmp-implicit",
            "spring.datasource.url=jdbc:h2:mem:cardrenew-cmp-implicit;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        })
class CmpImplicitConfirmTest extends ApiTestBase {

    @Test
    void implicitConfirmIsGrantedWhenConfiguredAndTheRenewalCompletesWithoutCertConf() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();
        CmpTestClient cmp = new CmpTestClient(URI.create("http://localhost:" + port + "/.well-known/cmp"), clock);

        CmpTestClient.Answer kup = cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                true,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertThat(kup.bodyType()).isEqualTo(PKIBody.TYPE_KEY_UPDATE_REP);
        assertThat(kup.message().getHeader().getGeneralInfo())
                .extracting(i -> i.getInfoType())
                .containsExactly(CMPObjectIdentifiers.it_implicitConfirm);
        assertThat(status(card).status()).isEqualTo(CertificateStatus.ALREADY_RENEWED);
    }

    @Test
    void withoutTheClientsRequestTheRenewalStillWaitsForCertConf() throws Exception {
        Card card = renewableCard().card();
        Card next = Card.p256();
        CmpTestClient cmp = new CmpTestClient(URI.create("http://localhost:" + port + "/.well-known/cmp"), clock);

        cmp.keyUpdate(
                card.signing,
                card.signingKeys.getPrivate(),
                false,
                CmpTestClient.KeyRequest.of(0, next.signingKeys, card.signing),
                CmpTestClient.KeyRequest.of(1, next.encryptionKeys, card.encryption));

        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
    }
}
