package org.cardrenew.agent.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.report.RenewalReport;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.FakeRa;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RaUnreachableException;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The renewal flow on SoftHSM2 cards against a fake RA: the happy path, refusals, and resumes. */
class RenewalFlowTest {

    private static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant OLD_NOT_BEFORE = Instant.parse("2025-12-10T00:00:00Z");
    private static final Instant OLD_NOT_AFTER = Instant.parse("2026-12-10T00:00:00Z");

    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static final Map<String, Map<KeyPurpose, X509Certificate>> OLD = new LinkedHashMap<>();

    @BeforeAll
    static void cards() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String name : new String[] {
            "happy-RSA_2048",
            "happy-EC_P256",
            "not-yet",
            "after-send",
            "after-first-cert",
            "before-confirm",
            "before-delete",
            "network",
            "ca-down",
            "confirm-pin",
            "closed-pending",
            "closed-written"
        }) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        // SoftHSM2 sees only tokens created before the JVM's first PKCS#11 call: enrol afterwards.
        for (String name : TOKENS.keySet()) {
            Token token = TOKENS.get(name);
            KeySpec spec =
                    name.endsWith("EC_P256") || name.equals("after-first-cert") ? KeySpec.EC_P256 : KeySpec.RSA_2048;
            OLD.put(
                    name,
                    CardFixtures.enrol(
                            token,
                            CA,
                            spec,
                            TestCa.holder("測試機關", "王小明", "A123456789"),
                            OLD_NOT_BEFORE,
                            OLD_NOT_AFTER));
        }
    }

    /** Records the steps; throws at a chosen point to simulate a pulled card or a crash. */
    private static final class Recorder implements RenewalListener {
        final List<String> events = new ArrayList<>();
        final String failAt;

        Recorder(String failAt) {
            this.failAt = failAt;
        }

        @Override
        public void stepStarted(RenewalStep step) {
            hit("start " + step);
        }

        @Override
        public void stepFinished(RenewalStep step) {
            hit("end " + step);
        }

        @Override
        public void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {
            hit("written " + purpose);
        }

        private void hit(String event) {
            events.add(event);
            if (event.equals(failAt)) {
                throw new IllegalStateException("interrupted at " + event);
            }
        }
    }

    private static RenewalOutcome renew(Token token, FakeRa ra, RenewalListener listener) throws Exception {
        try (Card card = CardFixtures.open(token)) {
            return new RenewalFlow(new RaClient(ra.uri(), "en"), listener)
                    .renew(card, PinSource.of(token.userPin().toCharArray()), null);
        }
    }

    /** The new pair, and of the old one only the encryption key and certificate, kept as decryption history. */
    private static void assertOnlyNewObjects(Token token, RenewalOutcome outcome, String name) throws Exception {
        String listed = token.listObjects();
        assertThat(Pattern.compile("Private Key Object")
                        .matcher(listed)
                        .results()
                        .count())
                .isEqualTo(3);
        assertThat(Pattern.compile("Certificate Object")
                        .matcher(listed)
                        .results()
                        .count())
                .isEqualTo(3);
        assertThat(listed).doesNotContain("Public Key Object");
        try (Card card = CardFixtures.login(token)) {
            CardContents contents = card.read();
            assertThat(contents.entries())
                    .extracting(CardEntry::certificate)
                    .containsExactlyInAnyOrder(outcome.signingCertificate(), outcome.encryptionCertificate())
                    .doesNotContainAnyElementsOf(OLD.get(name).values());
            assertThat(contents.history())
                    .extracting(CardEntry::certificate)
                    .containsExactly(OLD.get(name).get(KeyPurpose.ENCRYPTION));
            assertThat(contents.history()).allMatch(CardEntry::hasPrivateKey);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"RSA_2048", "EC_P256"})
    void aRenewableCardIsRenewedAndKeepsTheNewPairAndTheOldDecryptionKey(KeySpec spec) throws Exception {
        String name = "happy-" + spec;
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get(name));
            Recorder recorder = new Recorder(null);
            RenewalOutcome outcome = renew(TOKENS.get(name), ra, recorder);

            assertThat(outcome.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            assertThat(outcome.resumed()).isFalse();
            assertThat(outcome.previousRenewalClosed()).isFalse();
            assertThat(outcome.notAfter()).isAfter(OLD_NOT_AFTER);
            assertThat(outcome.previousNotAfter()).isEqualTo(OLD_NOT_AFTER);
            assertThat(outcome.signingCertificate().getSubjectX500Principal())
                    .isEqualTo(OLD.get(name).get(KeyPurpose.SIGNING).getSubjectX500Principal());
            assertThat(KeySpec.of(outcome.signingCertificate().getPublicKey())).contains(spec);
            assertThat(recorder.events)
                    .filteredOn(e -> e.startsWith("end "))
                    .containsExactly(
                            "end CHALLENGE",
                            "end LOGIN",
                            "end READ_CARD",
                            "end STATUS",
                            "end GENERATE_KEYS",
                            "end CREATE_CSRS",
                            "end SEND_TO_CA",
                            "end WRITE_TO_CARD",
                            "end VERIFY",
                            "end CONFIRM",
                            "end DELETE_OLD",
                            "end DONE");
            assertThat(ra.renewalStates()).containsExactly(RenewalState.COMPLETED);
            assertThat(ra.issuedCertificates()).isEqualTo(2);
            assertOnlyNewObjects(TOKENS.get(name), outcome, name);
        }
    }

    @Test
    void aCardNotYetInItsWindowIsNotTouched() throws Exception {
        Token token = TOKENS.get("not-yet");
        String before = token.listObjects();
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("not-yet"));
            ra.policy(CertificateStatus.NOT_YET_RENEWABLE);
            Recorder recorder = new Recorder(null);
            RenewalOutcome outcome = renew(token, ra, recorder);
            assertThat(outcome.result()).isEqualTo(RenewalOutcome.Result.NOT_RENEWABLE);
            assertThat(outcome.status().status()).isEqualTo(CertificateStatus.NOT_YET_RENEWABLE);
            assertThat(recorder.events).doesNotContain("start GENERATE_KEYS");
            assertThat(ra.issuedCertificates()).isZero();
        }
        assertThat(token.listObjects()).isEqualTo(before);
    }

    @Test
    void aRenewalInterruptedAfterIssuanceResumesWithTheSameKeysAndCertificates() throws Exception {
        resumes("after-send", "end SEND_TO_CA");
    }

    @Test
    void aRenewalInterruptedBetweenTheTwoCertificateWritesResumes() throws Exception {
        resumes("after-first-cert", "written SIGNING");
    }

    @Test
    void aRenewalInterruptedBeforeConfirmationIsConfirmedOnTheNextRun() throws Exception {
        resumes("before-confirm", "start CONFIRM");
    }

    @Test
    void aRenewalInterruptedBeforeTheOldPairWasDeletedIsCleanedUp() throws Exception {
        resumes("before-delete", "start DELETE_OLD");
    }

    private void resumes(String name, String failAt) throws Exception {
        Token token = TOKENS.get(name);
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get(name));
            assertThatThrownBy(() -> renew(token, ra, new Recorder(failAt)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(failAt);
            assertThat(ra.issuedCertificates()).isEqualTo(2);

            Recorder second = new Recorder(null);
            RenewalOutcome outcome = renew(token, ra, second);

            assertThat(outcome.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            assertThat(outcome.resumed()).isTrue();
            assertThat(second.events).doesNotContain("start GENERATE_KEYS");
            assertThat(ra.issuedCertificates()).as("nothing issued twice").isEqualTo(2);
            assertThat(ra.renewalStates()).containsExactly(RenewalState.COMPLETED);
            assertOnlyNewObjects(token, outcome, name);
        }
    }

    @Test
    void keysOfARenewalTheServerClosedUnconfirmedAreDiscardedAndTheCardRenewsAfresh() throws Exception {
        renewsAfreshAfterClosing("closed-pending", "end SEND_TO_CA");
    }

    @Test
    void certificatesWrittenButNeverConfirmedBeforeTheServerClosedTheRenewalAreReplaced() throws Exception {
        renewsAfreshAfterClosing("closed-written", "start CONFIRM");
    }

    private void renewsAfreshAfterClosing(String name, String failAt) throws Exception {
        Token token = TOKENS.get(name);
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get(name));
            assertThatThrownBy(() -> renew(token, ra, new Recorder(failAt))).hasMessageContaining(failAt);
            ra.closeUnconfirmed();

            // The card's next run hears that its last renewal was closed: status names it, EXPIRED_UNCONFIRMED.
            try (Card card = CardFixtures.open(token)) {
                StatusResponse status = new RenewalFlow(new RaClient(ra.uri(), "en"), RenewalListener.NONE)
                        .status(card, PinSource.of(token.userPin().toCharArray()));
                assertThat(status.status()).isEqualTo(CertificateStatus.RENEWABLE);
                assertThat(status.renewalState()).isEqualTo(RenewalState.EXPIRED_UNCONFIRMED);
                assertThat(status.renewalId()).isNotNull();
            }

            Recorder second = new Recorder(null);
            RenewalOutcome outcome = renew(token, ra, second);

            assertThat(outcome.result()).isEqualTo(RenewalOutcome.Result.RENEWED);
            assertThat(outcome.previousRenewalClosed())
                    .as("the outcome says the earlier renewal was closed")
                    .isTrue();
            assertThat(RenewalReport.of(outcome).previousRenewalClosed()).isTrue();
            assertThat(ra.issuedCertificates())
                    .as("the closed pair and a fresh one")
                    .isEqualTo(4);
            assertThat(ra.renewalStates()).containsExactly(RenewalState.COMPLETED);
            assertOnlyNewObjects(token, outcome, name);
        }
    }

    @Test
    void anUnreachableServerLeavesTheCardAsItWas() throws Exception {
        Token token = TOKENS.get("network");
        String before = token.listObjects();
        try (Card card = CardFixtures.open(token)) {
            RenewalFlow flow =
                    new RenewalFlow(new RaClient(URI.create("http://127.0.0.1:9"), "en"), RenewalListener.NONE);
            assertThatThrownBy(
                            () -> flow.renew(card, PinSource.of(token.userPin().toCharArray()), null))
                    .isInstanceOf(RaUnreachableException.class);
        }
        assertThat(token.listObjects()).isEqualTo(before);
    }

    @Test
    void aRenewalWhoseIssuanceFailedSendsTheSameKeysAgain() throws Exception {
        Token token = TOKENS.get("ca-down");
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("ca-down"));
            ra.caDownOnce();
            assertThatThrownBy(() -> renew(token, ra, RenewalListener.NONE))
                    .isInstanceOfSatisfying(
                            RaRefusedException.class, e -> assertThat(e.code()).isEqualTo("CA_UNAVAILABLE"));
            assertThat(ra.renewalStates()).containsExactly(RenewalState.REQUESTED);

            Recorder second = new Recorder(null);
            RenewalOutcome outcome = renew(token, ra, second);
            assertThat(outcome.resumed()).isTrue();
            assertThat(second.events).doesNotContain("start GENERATE_KEYS").contains("end CREATE_CSRS");
            assertThat(ra.issuedCertificates()).isEqualTo(2);
            assertOnlyNewObjects(token, outcome, "ca-down");
        }
    }

    @Test
    void aWrongConfirmationPinWritesNothingAndTheNextRunResumes() throws Exception {
        Token token = TOKENS.get("confirm-pin");
        List<PinPurpose> asked = new ArrayList<>();
        PinSource wrongConfirmation = purpose -> {
            asked.add(purpose);
            return (purpose == PinPurpose.LOGIN ? token.userPin() : "000000").toCharArray();
        };
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("confirm-pin"));
            try (Card card = CardFixtures.open(token)) {
                RenewalFlow flow = new RenewalFlow(new RaClient(ra.uri(), "en"), RenewalListener.NONE);
                assertThatThrownBy(() -> flow.renew(card, wrongConfirmation, null))
                        .isInstanceOf(WrongPinException.class);
            }
            assertThat(asked).containsExactly(PinPurpose.LOGIN, PinPurpose.CONFIRM_WRITE);
            try (Card card = CardFixtures.login(token)) {
                CardContents contents = card.read();
                assertThat(contents.pending()).hasSize(2);
                assertThat(contents.entries())
                        .extracting(CardEntry::certificate)
                        .containsExactlyInAnyOrderElementsOf(
                                OLD.get("confirm-pin").values());
            }
            RenewalOutcome outcome = renew(token, ra, RenewalListener.NONE);
            assertThat(outcome.resumed()).isTrue();
            assertOnlyNewObjects(token, outcome, "confirm-pin");
        }
    }
}
