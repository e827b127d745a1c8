package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRL and OCSP signing with the CA keys on a SoftHSM2 token; the OCSP signer key is generated there too. */
class HsmRevocationTest {

    @TempDir
    static Path dir;

    private static Token token;
    private static EmbeddedCa ca;

    @BeforeAll
    static void createCa() {
        token = SoftHsm.forThisJvm().createToken("Revocation CA", "123456");
        ca = EmbeddedCa.openOrCreate(
                CaSettings.hsm(Path.of(token.library()), token.label(), "123456".toCharArray())
                        .withKeyType(CaKeyType.P256),
                CaFixture.CLOCK);
    }

    @Test
    void theHsmKeySignsACrlThatOpensslChecks() throws Exception {
        X509Certificate holder = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
        X509CRL crl = ca.issueCrl(new CrlContent(
                BigInteger.TWO,
                CaFixture.NOW,
                CaFixture.NOW.plus(Duration.ofDays(1)),
                List.of(new RevokedCertificate(
                        new SerialNumber(holder.getSerialNumber()),
                        CaFixture.NOW,
                        RevocationReason.CESSATION_OF_OPERATION))));

        Tools.Result verify = Tools.execute(
                List.of(
                        "openssl",
                        "verify",
                        "-crl_check",
                        "-attime",
                        Long.toString(CaFixture.NOW.plusSeconds(60).getEpochSecond()),
                        "-CAfile",
                        PemFiles.write(dir.resolve("root.pem"), ca.chain().get(1))
                                .toString(),
                        "-untrusted",
                        PemFiles.write(dir.resolve("issuing.pem"), ca.chain().get(0))
                                .toString(),
                        "-CRLfile",
                        PemFiles.write(dir.resolve("crl.pem"), crl).toString(),
                        PemFiles.write(dir.resolve("holder.pem"), holder).toString()),
                Map.of(),
                null);
        assertThat(verify.output()).contains("certificate revoked");
    }

    @Test
    void theOcspSignerKeyIsGeneratedOnTheTokenAndSignsResponses() throws Exception {
        X509Certificate holder = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
        Path leaf = PemFiles.write(dir.resolve("ocsp-holder.pem"), holder);
        Path issuing =
                PemFiles.write(dir.resolve("ocsp-issuing.pem"), ca.chain().get(0));
        Path request = dir.resolve("hsm.req");
        Tools.run(
                List.of(
                        "openssl",
                        "ocsp",
                        "-issuer",
                        issuing.toString(),
                        "-cert",
                        leaf.toString(),
                        "-reqout",
                        request.toString()),
                Map.of());

        byte[] der = ca.ocspResponder(OcspSettings.DEFAULT)
                .respond(
                        Files.readAllBytes(request),
                        serial -> RevocationStatus.revoked(CaFixture.NOW, RevocationReason.KEY_COMPROMISE));

        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
        X509Certificate signer = new JcaX509CertificateConverter().getCertificate(basic.getCerts()[0]);
        signer.verify(ca.chain().get(0).getPublicKey());
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey())))
                .isTrue();
        assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        String objects = token.listObjects();
        assertThat(objects).contains("label:      " + DelegatedOcspResponder.ALIAS);
        assertThat(objects.split("Private Key Object", -1)).hasSize(4); // root, issuing, OCSP signer
    }
}
