package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cardrenew.ca.CaUnavailableException.Problem;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA with its keys on a SoftHSM2 token, as in production on an HSM. */
class HsmCaTest {

    @TempDir
    static Path dir;

    private static SoftHsm hsm;

    // Each test has a token of its own, so none depends on another having run first: PKCS#11 login state belongs to
    // the application (v2.40 §5.6), and once this JVM has logged in to a token SunPKCS11 never presents another PIN.
    // SoftHSM2 reads its token directory once per process, so all of them are made before the first test.
    private static final List<String> TOKENS = List.of("First", "Reopened", "Guarded", "Rsa", "Verified", "Vanishing");
    private static final Map<String, Token> tokens = new java.util.HashMap<>();

    @BeforeAll
    static void createTokens() {
        hsm = SoftHsm.forThisJvm();
        // A token the tests never open, so that "missing token" names a present one.
        hsm.createToken("other-token", "111111");
        // Labels end in " CA 01", so none is a prefix of another (pkcs11-tool --token-label matches a prefix).
        TOKENS.forEach(name -> tokens.put(name, hsm.createToken(name + " CA 01", "123456")));
    }

    private static Token tokenOf(String name) {
        return tokens.get(name);
    }

    private static CaSettings settings(Token token, String pin) {
        return CaSettings.hsm(Path.of(token.library()), token.label(), pin.toCharArray())
                .withKeyType(CaKeyType.P256);
    }

    @Test
    void firstOpenGeneratesBothCaKeysOnTheToken() throws Exception {
        Token token = tokenOf("First");
        EmbeddedCa ca = EmbeddedCa.openOrCreate(settings(token, "123456"), CaFixture.CLOCK);

        String objects = token.listObjects();
        assertThat(objects).contains("Private Key Object");
        assertThat(countOf(objects, "Private Key Object")).isEqualTo(2);
        // PKCS#11 v2.40 §4.9: the CA keys can be used on the token but never read out of it.
        assertThat(objects.lines().filter(l -> l.contains("Access:")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("sensitive").contains("never extractable"));
        // A CA key signs, nothing else (no decrypt/unwrap/derive).
        assertThat(objects.lines().filter(l -> l.contains("Usage:")).map(String::strip))
                .containsExactly("Usage:      sign", "Usage:      sign");
        assertThat(objects)
                .contains("label:      " + EmbeddedCa.ROOT_ALIAS)
                .contains("label:      " + EmbeddedCa.ISSUING_ALIAS);

        X509Certificate holder = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
        holder.verify(ca.chain().get(0).getPublicKey());
        assertThat(ca.isIssuerOf(holder)).isTrue();
    }

    @Test
    void secondOpenReusesTheKeysOnTheToken() throws Exception {
        Token token = tokenOf("Reopened");
        EmbeddedCa first = EmbeddedCa.openOrCreate(settings(token, "123456"), CaFixture.CLOCK);
        String before = token.listObjects();

        EmbeddedCa second = EmbeddedCa.openOrCreate(settings(token, "123456"), CaFixture.CLOCK);

        assertThat(second.chain()).isEqualTo(first.chain());
        assertThat(countOf(token.listObjects(), "Private Key Object")).isEqualTo(countOf(before, "Private Key Object"));
        X509Certificate holder = second.issue(CaFixture.request(CaFixture.rsaKey(2048), CertificateProfile.ENCRYPTION))
                .certificate();
        holder.verify(first.chain().get(0).getPublicKey());
        assertThat(first.isIssuerOf(holder)).isTrue();
    }

    @Test
    void wrongPinFailsWithAClearError() {
        Token token = tokenOf("Guarded");
        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings(token, "654321"), CaFixture.CLOCK))
                .isInstanceOfSatisfying(CaUnavailableException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.TOKEN_PIN_WRONG);
                    assertThat(e.getMessage()).contains("PIN").contains(token.label());
                });
    }

    @Test
    void missingTokenFailsWithAClearErrorNamingThePresentOnes() {
        CaSettings missing = CaSettings.hsm(Path.of(hsm.library()), "No Such Token", "123456".toCharArray());

        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(missing, CaFixture.CLOCK))
                .isInstanceOfSatisfying(CaUnavailableException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.TOKEN_NOT_FOUND);
                    assertThat(e.getMessage()).contains("No Such Token").contains("other-token");
                });
    }

    @Test
    void missingLibraryFailsWithAClearError() {
        CaSettings missing =
                CaSettings.hsm(Path.of("/nonexistent/libpkcs11.so"), "CardRenew CA", "123456".toCharArray());

        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(missing, CaFixture.CLOCK))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.HSM_LIBRARY_UNUSABLE));
    }

    @Test
    void rsaCaKeysOnTheTokenSignWithSha256WithRsa() throws Exception {
        Token rsaToken = tokenOf("Rsa");
        EmbeddedCa ca = EmbeddedCa.openOrCreate(
                CaSettings.hsm(Path.of(rsaToken.library()), rsaToken.label(), "123456".toCharArray())
                        .withKeyType(CaKeyType.RSA_2048),
                CaFixture.CLOCK);

        X509Certificate holder = ca.issue(CaFixture.request(CaFixture.ecKey("secp384r1"), CertificateProfile.SIGNING))
                .certificate();

        assertThat(holder.getSigAlgName()).isEqualTo("SHA256withRSA");
        holder.verify(ca.chain().get(0).getPublicKey());
        assertThat(countOf(rsaToken.listObjects(), "Private Key Object; RSA")).isEqualTo(2);
    }

    @Test
    void opensslVerifiesACertificateSignedOnTheToken() throws Exception {
        EmbeddedCa ca = EmbeddedCa.openOrCreate(settings(tokenOf("Verified"), "123456"), CaFixture.CLOCK);
        X509Certificate holder = ca.issue(
                        CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.ENCRYPTION))
                .certificate();
        Path root = pem(ca.chain().get(1), "root.pem");
        Path issuing = pem(ca.chain().get(0), "issuing.pem");
        Path leaf = pem(holder, "holder.pem");

        String verify = Tools.run(
                List.of(
                        "openssl",
                        "verify",
                        "-x509_strict",
                        "-attime",
                        Long.toString(CaFixture.NOW.plusSeconds(60).getEpochSecond()),
                        "-CAfile",
                        root.toString(),
                        "-untrusted",
                        issuing.toString(),
                        leaf.toString()),
                Map.of());

        assertThat(verify.strip()).isEqualTo(leaf + ": OK");
    }

    @Test
    void issuingKeyGoneFromTheTokenIsReportedAsCaUnavailable() throws Exception {
        Token vanishingToken = tokenOf("Vanishing");
        EmbeddedCa ca = EmbeddedCa.openOrCreate(
                CaSettings.hsm(Path.of(vanishingToken.library()), vanishingToken.label(), "123456".toCharArray())
                        .withKeyType(CaKeyType.P256),
                CaFixture.CLOCK);
        Tools.run(
                List.of(
                        "pkcs11-tool",
                        "--module",
                        vanishingToken.library(),
                        "--token-label",
                        vanishingToken.label(),
                        "--login",
                        "--pin",
                        "123456",
                        "--delete-object",
                        "--type",
                        "privkey",
                        "--id",
                        HexFormat.of().formatHex(EmbeddedCa.ISSUING_ALIAS.getBytes(StandardCharsets.UTF_8))),
                hsm.environment());

        assertThatThrownBy(() -> ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING)))
                .isInstanceOfSatisfying(
                        IssuanceException.class,
                        e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.CA_UNAVAILABLE));
    }

    private static Path pem(X509Certificate certificate, String name) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return Files.writeString(dir.resolve(name), text.toString());
    }

    private static long countOf(String text, String what) {
        return text.lines().filter(l -> l.startsWith(what)).count();
    }
}
