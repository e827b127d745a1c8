package org.cardrenew.agent.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.ListedObjects;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The card library on real SoftHSM2 tokens: an RSA-2048 card and a P-256 card. */
class CardTest {

    private static final Instant NOT_BEFORE = Instant.parse("2025-12-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-12-01T00:00:00Z");
    private static final X500Principal HOLDER = TestCa.holder("測試機關", "王小明", "A123456789");

    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static SoftHsm hsm;

    @BeforeAll
    static void createTokens() throws Exception {
        hsm = SoftHsm.forThisJvm();
        for (String name : new String[] {
            "login",
            "cycle-RSA_2048",
            "cycle-EC_P256",
            "pending-RSA_2048",
            "pending-EC_P256",
            "keys",
            "usage-RSA_2048",
            "usage-EC_P256"
        }) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        CardFixtures.enrol(TOKENS.get("login"), CA, KeySpec.RSA_2048, HOLDER, NOT_BEFORE, NOT_AFTER);
    }

    @Test
    void theRightPinLogsInAndTheCertificatesAreRead() throws Exception {
        try (Card card = CardFixtures.login(TOKENS.get("login"))) {
            CardContents contents = card.read();
            assertThat(contents.oldest(KeyPurpose.SIGNING))
                    .get()
                    .satisfies(e -> assertThat(e.certificate().getKeyUsage()[1]).isTrue());
            assertThat(contents.oldest(KeyPurpose.ENCRYPTION))
                    .get()
                    .satisfies(e -> assertThat(e.certificate().getKeyUsage()[2]).isTrue());
            assertThat(contents.pending()).isEmpty();
            assertThat(contents.hasNewGeneration(KeyPurpose.SIGNING)).isFalse();
        }
    }

    @Test
    void aWrongPinIsReportedAndLeavesTheCardUntouched() throws Exception {
        Token token = TOKENS.get("login");
        String before = token.listObjects();
        char[] wrong = "000000".toCharArray();
        try (Card card = CardFixtures.open(token)) {
            assertThatThrownBy(() -> card.login(wrong))
                    // SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a failure; it never locks.
                    .isInstanceOfSatisfying(
                            WrongPinException.class,
                            e -> assertThat(e.warning()).isIn(PinWarning.NONE, PinWarning.COUNT_LOW));
        }
        assertThat(wrong).containsOnly('\0');
        assertThat(token.listObjects()).isEqualTo(before);
    }

    @Test
    void anUnknownLabelIsNoToken() {
        Token token = TOKENS.get("login");
        assertThatThrownBy(() -> Card.open(Path.of(token.library()), "no-such-card"))
                .isInstanceOfSatisfying(
                        NoTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(NoTokenException.Reason.NO_SUCH_TOKEN));
    }

    @Test
    void aMissingLibraryIsNoToken() {
        assertThatThrownBy(() -> Card.open(Path.of("/nonexistent/libpkcs11.so"), "login"))
                .isInstanceOfSatisfying(
                        NoTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(NoTokenException.Reason.LIBRARY_MISSING));
    }

    @Test
    void theSigningKeySignsWhatItsCertificateVerifies() throws Exception {
        try (Card card = CardFixtures.login(TOKENS.get("login"))) {
            CardEntry signing = card.read().oldest(KeyPurpose.SIGNING).orElseThrow();
            byte[] data = "CardRenew/v1 status\nnonce".getBytes();
            CardSignature signature = card.sign(signing, data);
            Signature v = Signature.getInstance(signature.algorithm());
            v.initVerify(signing.certificate());
            v.update(data);
            assertThat(v.verify(signature.value())).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_2048", "EC_P256"})
    void aRenewalCycleLeavesExactlyTheNewKeysAndCertificates(KeySpec spec) throws Exception {
        Token token = TOKENS.get("cycle-" + spec);
        CardFixtures.enrol(token, CA, spec, HOLDER, NOT_BEFORE, NOT_AFTER);
        try (Card card = CardFixtures.login(token)) {
            CardContents old = card.read();
            X509Certificate oldSigning =
                    old.oldest(KeyPurpose.SIGNING).orElseThrow().certificate();

            PendingKey sig = card.generate(KeyPurpose.SIGNING, spec);
            PendingKey enc = card.generate(KeyPurpose.ENCRYPTION, spec);
            assertThat(KeySpec.of(sig.publicKey())).contains(spec);
            String listed = token.listObjects();
            assertThat(Pattern.compile("Private Key Object")
                            .matcher(listed)
                            .results()
                            .count())
                    .isEqualTo(4);
            assertThat(Pattern.compile("never extractable")
                            .matcher(listed)
                            .results()
                            .count())
                    .isEqualTo(4);
            assertThat(Pattern.compile("Access:\\s+sensitive")
                            .matcher(listed)
                            .results()
                            .count())
                    .isEqualTo(4);

            byte[] csrDer = card.certificationRequest(sig, oldSigning.getSubjectX500Principal());
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(csrDer);
            assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                            .setProvider(new BouncyCastleProvider())
                            .build(csr.getSubjectPublicKeyInfo())))
                    .isTrue();
            assertThat(csr.getSubject().getEncoded())
                    .isEqualTo(oldSigning.getSubjectX500Principal().getEncoded());
            assertThat(csr.getSubjectPublicKeyInfo().getEncoded())
                    .isEqualTo(sig.publicKey().getEncoded());

            Instant later = NOT_BEFORE.plus(300, ChronoUnit.DAYS);
            X509Certificate newSig =
                    CA.issue(sig.publicKey(), HOLDER, KeyPurpose.SIGNING, later, later.plus(365, ChronoUnit.DAYS));
            X509Certificate newEnc =
                    CA.issue(enc.publicKey(), HOLDER, KeyPurpose.ENCRYPTION, later, later.plus(365, ChronoUnit.DAYS));
            assertThatThrownBy(() -> card.install(sig, newEnc)).isInstanceOf(CardFailureException.class);

            card.install(sig, newSig);
            CardContents half = card.read();
            assertThat(half.hasNewGeneration(KeyPurpose.SIGNING)).isTrue();
            assertThat(half.newest(KeyPurpose.SIGNING).orElseThrow().certificate())
                    .isEqualTo(newSig);
            assertThat(half.oldest(KeyPurpose.SIGNING).orElseThrow().certificate())
                    .isEqualTo(oldSigning);
            assertThat(half.pending(KeyPurpose.ENCRYPTION))
                    .get()
                    .extracting(PendingKey::id)
                    .isEqualTo(enc.id());

            card.install(enc, newEnc);
            CardContents both = card.read();
            for (KeyPurpose p : KeyPurpose.values()) {
                card.verify(both.newest(p).orElseThrow());
                for (CardEntry e : both.superseded(p)) {
                    card.delete(e.id());
                }
            }
            CardContents after = card.read();
            assertThat(after.entries()).extracting(CardEntry::certificate).containsExactlyInAnyOrder(newSig, newEnc);
            assertThat(after.pending()).isEmpty();
            assertThat(after.strayPublicKeys()).isEmpty();
        }
        String listed = token.listObjects();
        assertThat(Pattern.compile("Private Key Object")
                        .matcher(listed)
                        .results()
                        .count())
                .isEqualTo(2);
        assertThat(Pattern.compile("Certificate Object")
                        .matcher(listed)
                        .results()
                        .count())
                .isEqualTo(2);
        assertThat(listed).doesNotContain("Public Key Object");
        try (Card card = CardFixtures.login(token)) {
            for (CardEntry e : card.read().entries()) {
                String hexId = HexFormat.of().formatHex(e.id().bytes());
                assertThat(Pattern.compile("ID:\\s+" + hexId)
                                .matcher(listed)
                                .results()
                                .count())
                        .as("key and certificate share %s", e.id())
                        .isEqualTo(2);
                assertThat(e.id().purpose()).contains(e.purpose());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_2048", "EC_P256"})
    void keysWithoutCertificatesAreRecognisedAsPendingInALaterSession(KeySpec spec) throws Exception {
        Token token = TOKENS.get("pending-" + spec);
        PendingKey generated;
        try (Card card = CardFixtures.login(token)) {
            generated = card.generate(KeyPurpose.ENCRYPTION, spec);
        }
        try (Card card = CardFixtures.login(token)) {
            CardContents contents = card.read();
            assertThat(contents.entries()).isEmpty();
            assertThat(contents.pending()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo(generated.id());
                assertThat(p.purpose()).isEqualTo(KeyPurpose.ENCRYPTION);
                assertThat(p.publicKey().getEncoded())
                        .isEqualTo(generated.publicKey().getEncoded());
            });
            byte[] csr = card.certificationRequest(contents.pending().get(0), HOLDER);
            assertThat(new PKCS10CertificationRequest(csr).getSubject().getEncoded())
                    .isEqualTo(HOLDER.getEncoded());
        }
    }

    /** Issue 12 item 4: the usages pkcs11-tool (an independent reader) sees are exactly those asked for. */
    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_2048", "EC_P256"})
    void theSigningKeyOnlySignsAndTheEncryptionKeyOnlyDoesWhatEncryptionNeeds(KeySpec spec) throws Exception {
        Token token = TOKENS.get("usage-" + spec);
        PendingKey sig;
        PendingKey enc;
        try (Card card = CardFixtures.login(token)) {
            sig = card.generate(KeyPurpose.SIGNING, spec);
            enc = card.generate(KeyPurpose.ENCRYPTION, spec);
        }
        ListedObjects listed = ListedObjects.of(token);
        assertThat(listed.usageOf(sig.id().toString())).isEqualTo("sign");
        assertThat(listed.usageOf(enc.id().toString()))
                .isEqualTo(spec.isRsa() ? "decrypt, sign, unwrap" : "sign, derive");
        assertThat(listed.ofType("Public Key"))
                .filteredOn(o -> o.label().equals(sig.id().toString()))
                .singleElement()
                .extracting(ListedObjects.Listed::usage)
                .isEqualTo("verify");
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_3072", "EC_P384"})
    void theOtherKeyTypesAreGeneratedOnTheCardAndSignTheirCsr(KeySpec spec) throws Exception {
        try (Card card = CardFixtures.login(TOKENS.get("keys"))) {
            PendingKey key = card.generate(KeyPurpose.SIGNING, spec);
            assertThat(KeySpec.of(key.publicKey())).contains(spec);
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(card.certificationRequest(key, HOLDER));
            assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                            .setProvider(new BouncyCastleProvider())
                            .build(csr.getSubjectPublicKeyInfo())))
                    .isTrue();
            card.delete(key.id());
            assertThat(card.read().pending()).isEmpty();
        }
    }
}
