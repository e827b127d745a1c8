package org.cardrenew.agent.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardFullException;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.FakeRa;
import org.cardrenew.agent.testing.FullCard;
import org.cardrenew.agent.testing.ListedObjects;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.cardrenew.testkit.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 item 1 on SoftHSM2 cards: a renewal keeps the old encryption key as decryption history, which
 * independent peers (openssl encrypts or agrees a key with the old certificate, pkcs11-tool decrypts or
 * derives on the card) still use after one and after two renewals; the holder's limit; a full card.
 */
class DecryptionHistoryTest {

    private static final Instant FIRST = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant SECOND = FIRST.plus(Duration.ofDays(340));
    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static final Map<String, Map<KeyPurpose, X509Certificate>> ENROLLED = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void cards() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String name : new String[] {
            "twice-RSA_2048",
            "twice-EC_P256",
            "limit",
            "full-1",
            "full-3",
            "interrupted-end-SEND_TO_CA",
            "interrupted-written-SIGNING",
            "interrupted-end-CONFIRM"
        }) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        for (String name : TOKENS.keySet()) {
            // EC keys unless RSA is what a test is about: SoftHSM2 generates them much faster.
            KeySpec spec = name.endsWith("RSA_2048") ? KeySpec.RSA_2048 : KeySpec.EC_P256;
            ENROLLED.put(
                    name,
                    CardFixtures.enrol(
                            TOKENS.get(name),
                            CA,
                            spec,
                            TestCa.holder("測試機關", "王小明", "A123456789"),
                            Instant.parse("2025-12-10T00:00:00Z"),
                            Instant.parse("2026-12-10T00:00:00Z")));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_2048", "EC_P256"})
    void whatWasEncryptedToOldEncryptionCertificatesIsDecryptedOnTheCardAfterOneAndTwoRenewals(KeySpec spec)
            throws Exception {
        Token token = TOKENS.get("twice-" + spec);
        X509Certificate enrolled = ENROLLED.get("twice-" + spec).get(KeyPurpose.ENCRYPTION);
        Sealed toEnrolled = seal(enrolled, "enrolled");

        RenewalOutcome first =
                renew(token, FIRST, ENROLLED.get("twice-" + spec), DecryptionHistory.ALL, RenewalListener.NONE);
        assertThat(history(token)).containsExactly(enrolled);
        assertThat(open(token, toEnrolled, enrolled)).isEqualTo(toEnrolled.expected());
        Sealed toFirst = seal(first.encryptionCertificate(), "first");

        RenewalOutcome second = renew(token, SECOND, pair(first), DecryptionHistory.ALL, RenewalListener.NONE);
        assertThat(history(token)).containsExactly(enrolled, first.encryptionCertificate());
        assertThat(open(token, toEnrolled, enrolled)).isEqualTo(toEnrolled.expected());
        assertThat(open(token, toFirst, first.encryptionCertificate())).isEqualTo(toFirst.expected());

        // Exactly the current pair and the history; the old signing keys are gone.
        ListedObjects listed = ListedObjects.of(token);
        List<String> expected = new ArrayList<>(List.of(
                label(token, second.signingCertificate()),
                label(token, second.encryptionCertificate()),
                label(token, enrolled),
                label(token, first.encryptionCertificate())));
        assertThat(listed.labels("Private Key")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(listed.labels("Certificate")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(listed.ofType("Public Key")).isEmpty();
        assertThat(label(token, enrolled)).startsWith("hist-enc-");
        assertThat(label(token, second.encryptionCertificate())).startsWith("enc-");

        // A third run finds nothing to resume: history is never a generation.
        try (Card card = CardFixtures.login(token)) {
            CardContents contents = card.read();
            assertThat(contents.hasNewGeneration(KeyPurpose.ENCRYPTION)).isFalse();
            assertThat(contents.oldest(KeyPurpose.ENCRYPTION))
                    .get()
                    .extracting(CardEntry::certificate)
                    .isEqualTo(second.encryptionCertificate());
            assertThat(contents.pending()).isEmpty();
        }
    }

    /**
     * Issue 12 item 1: the interruption points of docs/RENEWAL-CYCLE.md on a card that already keeps decryption
     * history (its second renewal): the next run completes the renewal, the CA issues once, and the card holds the
     * current pair plus both old encryption keys, the older one still decrypting.
     */
    @ParameterizedTest
    @ValueSource(strings = {"end SEND_TO_CA", "written SIGNING", "end CONFIRM"})
    void aSecondRenewalInterruptedWithHistoryOnTheCardIsCompletedAndTheHistoryKept(String where) throws Exception {
        String name = "interrupted-" + where.replace(' ', '-');
        Token token = TOKENS.get(name);
        X509Certificate enrolled = ENROLLED.get(name).get(KeyPurpose.ENCRYPTION);
        Sealed toEnrolled = seal(enrolled, "enrolled");
        RenewalOutcome first = renew(token, FIRST, ENROLLED.get(name), DecryptionHistory.ALL, RenewalListener.NONE);
        assertThat(history(token)).containsExactly(enrolled);

        try (FakeRa ra = new FakeRa(CA, SECOND)) {
            ra.register(pair(first));
            RenewalListener stop = new RenewalListener() {
                @Override
                public void stepFinished(RenewalStep step) {
                    hit("end " + step);
                }

                @Override
                public void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {
                    hit("written " + purpose);
                }

                private void hit(String event) {
                    if (event.equals(where)) {
                        throw new IllegalStateException("interrupted at " + where);
                    }
                }
            };
            try (Card card = CardFixtures.open(token)) {
                assertThatThrownBy(() -> new RenewalFlow(new RaClient(ra.uri(), "en"), stop, DecryptionHistory.ALL)
                                .renew(card, PinSource.of(token.userPin().toCharArray()), null))
                        .hasMessageContaining("interrupted at " + where);
            }
            assertThat(history(token))
                    .as("history untouched by the interrupted run")
                    .containsExactly(enrolled);

            RenewalOutcome second;
            try (Card card = CardFixtures.open(token)) {
                second = new RenewalFlow(new RaClient(ra.uri(), "en"), RenewalListener.NONE, DecryptionHistory.ALL)
                        .renew(card, PinSource.of(token.userPin().toCharArray()), null);
            }
            assertThat(second.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            assertThat(second.resumed()).isTrue();
            assertThat(ra.issuedCertificates()).as("issued once").isEqualTo(2);

            assertThat(history(token)).containsExactly(enrolled, first.encryptionCertificate());
            ListedObjects listed = ListedObjects.of(token);
            List<String> expected = List.of(
                    label(token, second.signingCertificate()),
                    label(token, second.encryptionCertificate()),
                    label(token, enrolled),
                    label(token, first.encryptionCertificate()));
            assertThat(listed.labels("Private Key")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(listed.labels("Certificate")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(open(token, toEnrolled, enrolled)).isEqualTo(toEnrolled.expected());
        }
    }

    @Test
    void aLimitOfOneKeepsTheNewestOldKeyAndReportsTheOneRemoved() throws Exception {
        Token token = TOKENS.get("limit");
        X509Certificate enrolled = ENROLLED.get("limit").get(KeyPurpose.ENCRYPTION);
        List<X509Certificate> removed = new ArrayList<>();
        RenewalListener recorder = new RenewalListener() {
            @Override
            public void decryptionKeyRemoved(X509Certificate certificate) {
                removed.add(certificate);
            }
        };
        RenewalOutcome first = renew(token, FIRST, ENROLLED.get("limit"), new DecryptionHistory(1), recorder);
        assertThat(removed).isEmpty();
        renew(token, SECOND, pair(first), new DecryptionHistory(1), recorder);
        assertThat(history(token)).containsExactly(first.encryptionCertificate());
        assertThat(removed).containsExactly(enrolled);
    }

    /**
     * room 1: the card fills up while generating the new keys; room 3: while writing the second certificate.
     * Either way the renewal stops with the card whole, the holder removes an old decryption key, and the
     * next run completes the renewal without generating or issuing anything twice.
     */
    @ParameterizedTest(name = "room for {0} more objects")
    @ValueSource(ints = {1, 3})
    void aFullCardStopsTheRenewalWithTheCardWholeAndResumesOnceTheHolderRemovedAnOldKey(int room) throws Exception {
        Token token = TOKENS.get("full-" + room);
        Map<KeyPurpose, X509Certificate> enrolled = ENROLLED.get("full-" + room);
        RenewalOutcome first = renew(token, FIRST, enrolled, DecryptionHistory.ALL, RenewalListener.NONE);

        try (FakeRa ra = new FakeRa(CA, SECOND);
                Card card = new FullCard(CardFixtures.open(token), room)) {
            ra.register(pair(first));
            RenewalFlow flow = new RenewalFlow(new RaClient(ra.uri(), "en"), RenewalListener.NONE);
            assertThatThrownBy(
                            () -> flow.renew(card, PinSource.of(token.userPin().toCharArray()), null))
                    .isInstanceOf(CardFullException.class);
            try (Card real = CardFixtures.login(token)) {
                CardContents whole = real.read();
                assertThat(whole.oldest(KeyPurpose.SIGNING))
                        .get()
                        .extracting(CardEntry::certificate)
                        .isEqualTo(first.signingCertificate());
                assertThat(whole.oldest(KeyPurpose.ENCRYPTION))
                        .get()
                        .extracting(CardEntry::certificate)
                        .isEqualTo(first.encryptionCertificate());
                assertThat(whole.history())
                        .extracting(CardEntry::certificate)
                        .containsExactly(enrolled.get(KeyPurpose.ENCRYPTION));
                // The holder's choice: remove the enrolled pair's decryption key.
                DecryptionKeys.remove(
                        real,
                        enrolled.get(KeyPurpose.ENCRYPTION).getSerialNumber().toString(16));
            }
            RenewalOutcome resumed;
            try (Card real = CardFixtures.open(token)) {
                resumed = flow.renew(real, PinSource.of(token.userPin().toCharArray()), null);
            }
            assertThat(resumed.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            assertThat(ra.issuedCertificates()).as("issued once").isEqualTo(2);
            assertThat(history(token)).containsExactly(first.encryptionCertificate());
        }
    }

    @Test
    void onlyHistoryCanBeRemovedByTheHolder() throws Exception {
        Token token = TOKENS.get("limit");
        try (Card card = CardFixtures.login(token)) {
            String current = card.read()
                    .oldest(KeyPurpose.ENCRYPTION)
                    .orElseThrow()
                    .certificate()
                    .getSerialNumber()
                    .toString(16);
            assertThatThrownBy(() -> DecryptionKeys.remove(card, current))
                    .isInstanceOfSatisfying(
                            RenewalException.class,
                            e -> assertThat(e.reason()).isEqualTo(RenewalException.Reason.NO_SUCH_HISTORY_KEY));
        }
    }

    private static RenewalOutcome renew(
            Token token,
            Instant now,
            Map<KeyPurpose, X509Certificate> current,
            DecryptionHistory keep,
            RenewalListener listener)
            throws Exception {
        try (FakeRa ra = new FakeRa(CA, now);
                Card card = CardFixtures.open(token)) {
            ra.register(current);
            RenewalOutcome outcome = new RenewalFlow(new RaClient(ra.uri(), "en"), listener, keep)
                    .renew(card, PinSource.of(token.userPin().toCharArray()), null);
            assertThat(outcome.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            return outcome;
        }
    }

    private static Map<KeyPurpose, X509Certificate> pair(RenewalOutcome outcome) {
        return Map.of(
                KeyPurpose.SIGNING,
                outcome.signingCertificate(),
                KeyPurpose.ENCRYPTION,
                outcome.encryptionCertificate());
    }

    private static List<X509Certificate> history(Token token) throws Exception {
        try (Card card = CardFixtures.login(token)) {
            return DecryptionKeys.list(card).stream()
                    .map(CardEntry::certificate)
                    .toList();
        }
    }

    /** The CKA_LABEL pkcs11-tool shows for the certificate's objects. */
    private static String label(Token token, X509Certificate certificate) throws Exception {
        String id = idOf(token, certificate);
        return ListedObjects.of(token).ofType("Certificate").stream()
                .filter(o -> o.id().equals(id))
                .findFirst()
                .orElseThrow()
                .label();
    }

    private static String idOf(Token token, X509Certificate certificate) throws Exception {
        try (Card card = CardFixtures.login(token)) {
            CardContents contents = card.read();
            return java.util.stream.Stream.concat(contents.entries().stream(), contents.history().stream())
                    .filter(e -> e.certificate().equals(certificate))
                    .findFirst()
                    .map(e -> HexFormat.of().formatHex(e.id().bytes()))
                    .orElseThrow();
        }
    }

    /** What the card is given (ciphertext, or the peer's ephemeral public key) and what it must answer. */
    private record Sealed(Path input, byte[] expected) {}

    /**
     * RSA: openssl encrypts a message to the certificate (PKCS#1 v1.5, as S/MIME key transport). EC: openssl
     * agrees a secret between an ephemeral key and the certificate's key (ECDH, as S/MIME key agreement).
     */
    private Sealed seal(X509Certificate certificate, String name) throws Exception {
        Path pem = dir.resolve(name + ".pem");
        Files.writeString(
                pem,
                "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        if (certificate.getPublicKey().getAlgorithm().equals("RSA")) {
            Path message = Files.writeString(dir.resolve(name + ".txt"), "公文 " + name);
            Path encrypted = dir.resolve(name + ".enc");
            openssl(
                    "pkeyutl",
                    "-encrypt",
                    "-certin",
                    "-inkey",
                    pem.toString(),
                    "-in",
                    message.toString(),
                    "-out",
                    encrypted.toString());
            return new Sealed(encrypted, Files.readAllBytes(message));
        }
        Path peer = Files.writeString(
                dir.resolve(name + ".pub.pem"), openssl("x509", "-in", pem.toString(), "-pubkey", "-noout"));
        Path ephemeral = dir.resolve(name + ".eph.pem");
        Path ephemeralPublic = dir.resolve(name + ".eph.der");
        Path secret = dir.resolve(name + ".secret");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ephemeral.toString());
        openssl("pkey", "-in", ephemeral.toString(), "-pubout", "-outform", "DER", "-out", ephemeralPublic.toString());
        openssl(
                "pkeyutl",
                "-derive",
                "-inkey",
                ephemeral.toString(),
                "-peerkey",
                peer.toString(),
                "-out",
                secret.toString());
        return new Sealed(ephemeralPublic, Files.readAllBytes(secret));
    }

    /** pkcs11-tool decrypts (RSA-PKCS) or derives (ECDH1-DERIVE) on the card with the certificate's key. */
    private byte[] open(Token token, Sealed sealed, X509Certificate certificate) throws Exception {
        Path out = Files.createTempFile(dir, "opened", ".bin");
        boolean rsa = certificate.getPublicKey().getAlgorithm().equals("RSA");
        Tools.run(
                List.of(
                        "pkcs11-tool",
                        "--module",
                        token.library(),
                        "--token-label",
                        token.label(),
                        "--login",
                        "--pin",
                        token.userPin(),
                        rsa ? "--decrypt" : "--derive",
                        "-m",
                        rsa ? "RSA-PKCS" : "ECDH1-DERIVE",
                        "--id",
                        idOf(token, certificate),
                        "-i",
                        sealed.input().toString(),
                        "-o",
                        out.toString()),
                Map.of("SOFTHSM2_CONF", token.conf().toString()));
        return Files.readAllBytes(out);
    }

    private static String openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return Tools.run(command, Map.of());
    }
}
