package org.cardrenew.server.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;

/** RFC 9773 renewal information for certificates identified by AKI and serial. */
@OnH2
class RenewalInfoTest extends ApiTestBase {

    @Test
    void theWindowOpensWithTheRaWindowAndEndsHalfwayToNotAfter() throws Exception {
        Card card = Card.p256();
        enroll(card);
        Instant notAfter = card.signing.getNotAfter().toInstant();

        HttpResponse<String> response = get("/api/v1/renewal-info/" + certId(card.signing));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("21600");
        Instant start = notAfter.minus(Duration.ofDays(30));
        assertThat(response.body())
                .contains("\"start\":\"" + start + "\"")
                .contains("\"end\":\"" + start.plus(Duration.ofDays(15)) + "\"");
    }

    @Test
    void aRevokedCertificateGetsAWindowInThePast() throws Exception {
        Card card = Card.p256();
        enroll(card);
        post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + card.serial() + "\",\"reason\":\"keyCompromise\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);

        HttpResponse<String> response = get("/api/v1/renewal-info/" + certId(card.signing));

        assertThat(response.statusCode()).isEqualTo(200);
        Instant now = clock.instant();
        assertThat(response.body())
                .contains("\"start\":\"" + now.minus(Duration.ofDays(1)) + "\"")
                .contains("\"end\":\"" + now.minus(Duration.ofHours(1)) + "\"");
    }

    @Test
    void malformedOrForeignIdentifiersAreRefused() throws Exception {
        Card card = Card.p256();
        enroll(card);
        String serial = certId(card.signing).split("\\.")[1];

        assertThat(get("/api/v1/renewal-info/not-an-id").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/renewal-info/!!.??").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/renewal-info/AAAA." + serial).body()).contains("CERTIFICATE_UNKNOWN");
        String unknownSerial = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {0x12, 0x34});
        assertThat(get("/api/v1/renewal-info/" + certId(card.signing).split("\\.")[0] + "." + unknownSerial)
                        .body())
                .contains("CERTIFICATE_UNKNOWN");
    }

    /** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(DER serial bytes), no padding. */
    static String certId(X509Certificate certificate) {
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                                certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                        .getOctets())
                .getKeyIdentifier();
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        return base64url.encodeToString(aki) + "."
                + base64url.encodeToString(certificate.getSerialNumber().toByteArray());
    }
}
