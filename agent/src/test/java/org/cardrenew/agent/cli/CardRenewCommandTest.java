package org.cardrenew.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.FakeRa;
import org.cardrenew.agent.testing.OtherAgentProcess;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line end to end on SoftHSM2 cards and a fake RA: exit codes, --json, PIN sources. */
class CardRenewCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static final Map<String, Map<KeyPurpose, X509Certificate>> OLD = new LinkedHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void cards() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String name : new String[] {"status", "renew", "not-yet", "enroll", "history", "closed"}) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        for (String name : new String[] {"status", "renew", "not-yet", "history", "closed"}) {
            OLD.put(
                    name,
                    CardFixtures.enrol(
                            TOKENS.get(name),
                            CA,
                            KeySpec.EC_P256,
                            TestCa.holder("測試機關", "王小明", "A123456789"),
                            Instant.parse("2025-12-10T00:00:00Z"),
                            Instant.parse("2026-12-10T00:00:00Z")));
        }
    }

    private record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    private static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CardRenewCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] args(String command, FakeRa ra, Token token, String... more) {
        List<String> all = new ArrayList<>(List.of(
                command,
                "--server",
                ra == null ? "http://127.0.0.1:9" : ra.uri().toString(),
                "--module",
                token.library(),
                "--token",
                token.label(),
                "--pin-env",
                "CARD_PIN"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code cardrenew history <command>} on this card, the PIN from CARD_PIN, then the other arguments. */
    private static String[] history(Token token, String command, String... more) {
        List<String> all = new ArrayList<>(List.of(
                "history", command, "--module", token.library(), "--token", token.label(), "--pin-env", "CARD_PIN"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Map<String, String> pin(String pin) {
        return Map.of("CARD_PIN", pin, "ADMIN", FakeRa.ADMIN_TOKEN);
    }

    @Test
    void aCardAnotherAgentProcessHasOpenExitsTwelveUntilThatProcessEnds() throws Exception {
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("status"));
            Token token = TOKENS.get("status");
            String before = token.listObjects();
            try (OtherAgentProcess other = OtherAgentProcess.holding(token)) {
                Run busy = cli(pin("123456"), args("status", ra, token, "--json"));

                assertThat(busy.exit()).as(busy.err()).isEqualTo(ExitCode.CARD_BUSY.code());
                assertThat(busy.json().get("result").asString()).isEqualTo("CARD_BUSY");
                Run renew = cli(pin("123456"), args("renew", ra, token));
                assertThat(renew.exit()).as(renew.err()).isEqualTo(ExitCode.CARD_BUSY.code());
                assertThat(renew.err()).contains("另一個 CardRenew 程式");
                assertThat(token.listObjects()).isEqualTo(before);

                // A process that dies holds nothing: the operating system drops its lock.
                other.kill();
                Run free = cli(pin("123456"), args("status", ra, token, "--json"));
                assertThat(free.exit()).as(free.err()).isEqualTo(ExitCode.OK.code());
            }
        }
    }

    @Test
    void statusJsonIsOneObjectNamingTheStatus() throws Exception {
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("status"));
            Run run = cli(pin("123456"), args("status", ra, TOKENS.get("status"), "--json"));
            assertThat(run.exit()).isEqualTo(ExitCode.OK.code());
            JsonNode json = run.json();
            assertThat(json.get("status").asString()).isEqualTo("RENEWABLE");
            assertThat(json.get("notAfter").asString()).isEqualTo("2026-12-10T00:00:00Z");
            assertThat(json.has("renewalWindowOpens")).isTrue();
            assertThat(run.out()).doesNotContain("token-").doesNotContain("123456");
            assertThat(run.out().strip().lines()).hasSize(1);
        }
    }

    @Test
    void statusOfACardNotYetRenewableExitsThreeAndSaysSo() throws Exception {
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("not-yet"));
            ra.policy(CertificateStatus.NOT_YET_RENEWABLE);
            Run run = cli(pin("123456"), args("status", ra, TOKENS.get("not-yet"), "--lang", "en"));
            assertThat(run.exit()).isEqualTo(ExitCode.NOT_RENEWABLE.code());
            assertThat(run.out()).contains("NOT_YET_RENEWABLE").contains("not yet in the renewal window");

            Run renew = cli(pin("123456"), args("renew", ra, TOKENS.get("not-yet"), "--json"));
            assertThat(renew.exit()).isEqualTo(ExitCode.NOT_RENEWABLE.code());
            assertThat(renew.json().get("status").asString()).isEqualTo("NOT_YET_RENEWABLE");
            assertThat(ra.issuedCertificates()).isZero();
        }
    }

    @Test
    void aRenewalClosedUnconfirmedIsNamedByStatusAndRenewWhichRenewAfresh() throws Exception {
        Token token = TOKENS.get("closed");
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("closed"));
            // The first run stops after the CA issued (the card never confirms); the server then closes it.
            try (Card card = CardFixtures.open(token)) {
                RenewalListener stopAfterIssuance = new RenewalListener() {
                    @Override
                    public void stepFinished(RenewalStep step) {
                        if (step == RenewalStep.SEND_TO_CA) {
                            throw new IllegalStateException("interrupted after issuance");
                        }
                    }
                };
                assertThatThrownBy(() -> new RenewalFlow(new RaClient(ra.uri(), "en"), stopAfterIssuance)
                                .renew(card, PinSource.of(token.userPin().toCharArray()), null))
                        .hasMessageContaining("interrupted after issuance");
            }
            ra.closeUnconfirmed();

            Run status = cli(pin("123456"), args("status", ra, token, "--lang", "en"));
            assertThat(status.exit()).as(status.err()).isEqualTo(ExitCode.OK.code());
            assertThat(status.out()).contains("RENEWABLE").contains("the server closed it (EXPIRED_UNCONFIRMED)");
            Run json = cli(pin("123456"), args("status", ra, token, "--json"));
            assertThat(json.json().get("renewalState").asString()).isEqualTo("EXPIRED_UNCONFIRMED");
            Run chinese = cli(pin("123456"), args("status", ra, token, "--lang", "zh-TW"));
            assertThat(chinese.out()).contains("伺服器已關閉該次更新");

            Run renew = cli(pin("123456"), args("renew", ra, token, "--lang", "en"));
            assertThat(renew.exit()).as(renew.err()).isEqualTo(ExitCode.OK.code());
            assertThat(renew.out()).contains("the server had closed it (RENEWAL_EXPIRED)");
            assertThat(ra.issuedCertificates())
                    .as("the closed pair and a fresh one")
                    .isEqualTo(4);
        }
    }

    @Test
    void renewPrintsProgressAndTheNewValidity() throws Exception {
        Token token = TOKENS.get("renew");
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("renew"));
            Run run = cli(pin("123456"), args("renew", ra, token));
            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK.code());
            assertThat(run.out()).contains("在卡片內產生兩組新金鑰").contains("憑證更新成功").contains("2027-11-20T08:00:00Z");

            ra.policy(CertificateStatus.NOT_YET_RENEWABLE);
            Run again = cli(pin("123456"), args("renew", ra, token, "--json", "--lang", "en"));
            assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(ExitCode.NOT_RENEWABLE.code());
            assertThat(again.json().get("result").asString()).isEqualTo("NOT_RENEWABLE");
            assertThat(again.err()).contains("Reading the certificates on the card");
        }
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
    }

    @Test
    void statusAndHistoryListTheOldDecryptionKeyAndOnlyItCanBeRemoved() throws Exception {
        Token token = TOKENS.get("history");
        String old =
                OLD.get("history").get(KeyPurpose.ENCRYPTION).getSerialNumber().toString(16);
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("history"));
            assertThat(cli(pin("123456"), args("renew", ra, token, "--keep-decryption-keys", "many"))
                            .exit())
                    .isEqualTo(ExitCode.USAGE.code());
            Run renewed = cli(pin("123456"), args("renew", ra, token, "--json", "--keep-decryption-keys", "all"));
            assertThat(renewed.exit()).as(renewed.out() + renewed.err()).isEqualTo(ExitCode.OK.code());
            String current = renewed.json().get("encryptionCertificateSerial").asString();

            Run status = cli(pin("123456"), args("status", ra, token, "--json"));
            assertThat(status.json().get("decryptionHistory"))
                    .singleElement()
                    .satisfies(h -> assertThat(h.get("serial").asString()).isEqualTo(old));
            Run human = cli(pin("123456"), args("status", ra, token, "--lang", "en"));
            assertThat(human.out())
                    .contains("Old decryption keys kept on the card")
                    .contains("serial " + old);
        }
        Run refused = cli(
                pin("123456"),
                history(
                        token,
                        "remove",
                        "--json",
                        "--serial",
                        OLD.get("history")
                                .get(KeyPurpose.SIGNING)
                                .getSerialNumber()
                                .toString(16)));
        assertThat(refused.exit()).isEqualTo(ExitCode.CARD_ERROR.code());
        assertThat(refused.json().get("reason").asString()).isEqualTo("NO_SUCH_HISTORY_KEY");

        Run removed = cli(pin("123456"), history(token, "remove", "--serial", old, "--lang", "en"));
        assertThat(removed.exit()).as(removed.err()).isEqualTo(ExitCode.OK.code());
        assertThat(removed.out()).contains("Removed the old decryption key " + old);
        Run list = cli(pin("123456"), history(token, "list", "--json"));
        assertThat(list.json().get("decryptionHistory")).isEmpty();
        assertThat(Pattern.compile("Private Key Object")
                        .matcher(token.listObjects())
                        .results()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aWrongPinExitsFourAndIsNamed() throws Exception {
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            Run run = cli(pin("999999"), args("status", ra, TOKENS.get("status"), "--json", "--lang", "en"));
            assertThat(run.exit()).isEqualTo(ExitCode.WRONG_PIN.code());
            assertThat(run.json().get("result").asString()).isEqualTo("WRONG_PIN");
            assertThat(run.json().get("message").asString()).contains("Wrong PIN");
            assertThat(run.out()).doesNotContain("999999");
        }
    }

    @Test
    void aMissingTokenOrLibraryExitsSix() {
        Token token = TOKENS.get("status");
        Run noToken = cli(
                pin("123456"),
                "status",
                "--server",
                "http://127.0.0.1:9",
                "--module",
                token.library(),
                "--token",
                "no-such-card",
                "--pin-env",
                "CARD_PIN");
        assertThat(noToken.exit()).isEqualTo(ExitCode.NO_TOKEN.code());
        assertThat(noToken.err()).contains("no-such-card");
        Run noLibrary = cli(
                pin("123456"),
                "status",
                "--server",
                "http://127.0.0.1:9",
                "--module",
                "/nonexistent/lib.so",
                "--token",
                "status",
                "--pin-env",
                "CARD_PIN");
        assertThat(noLibrary.exit()).isEqualTo(ExitCode.NO_TOKEN.code());
    }

    @Test
    void anUnreachableServerExitsEight() {
        Run run = cli(pin("123456"), args("status", null, TOKENS.get("status"), "--json"));
        assertThat(run.exit()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(run.json().get("result").asString()).isEqualTo("NETWORK");
    }

    @Test
    void versionPrintsTheVersionTheBuildMade() {
        Run run = cli(Map.of(), "--version");
        assertThat(run.exit()).isZero();
        assertThat(run.out().trim()).isEqualTo("cardrenew " + System.getProperty("cardrenew.expected-version"));
    }

    @Test
    void usageErrorsExitTwoAndAPinIsNeverAnOption(@TempDir Path dir) throws Exception {
        Token token = TOKENS.get("status");
        Path pinFile = Files.writeString(dir.resolve("pin"), "123456\n");
        assertThat(cli(pin("123456"), args("status", null, token, "--pin-file", pinFile.toString()))
                        .exit())
                .as("--pin-file and --pin-env together")
                .isEqualTo(2);
        assertThat(cli(Map.of(), args("status", null, token)).exit())
                .as("empty --pin-env")
                .isEqualTo(2);
        assertThat(cli(
                                Map.of(),
                                "status",
                                "--server",
                                "http://127.0.0.1:9",
                                "--module",
                                token.library(),
                                "--token",
                                "status")
                        .exit())
                .as("no terminal for a prompt")
                .isEqualTo(2);
        assertThat(cli(
                                Map.of(),
                                "status",
                                "--server",
                                "http://127.0.0.1:9",
                                "--module",
                                token.library(),
                                "--token",
                                "status",
                                "--pin",
                                "123456")
                        .exit())
                .as("no PIN option")
                .isEqualTo(2);
        assertThat(cli(pin("123456"), args("status", null, token, "--lang", "fr"))
                        .exit())
                .isEqualTo(2);
        assertThat(cli(pin("123456"), "status", "--module", token.library()).exit())
                .isEqualTo(2);
    }

    @Test
    void aPinFileIsReadWithoutItsNewline(@TempDir Path dir) throws Exception {
        Path pinFile = Files.writeString(dir.resolve("pin"), "123456\n");
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            ra.register(OLD.get("status"));
            Run run = cli(
                    Map.of(),
                    "status",
                    "--server",
                    ra.uri().toString(),
                    "--module",
                    TOKENS.get("status").library(),
                    "--token",
                    "status",
                    "--pin-file",
                    pinFile.toString(),
                    "--json");
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(0);
        }
    }

    @Test
    void enrollWritesANewPairAndRefusesACardThatHasOne() throws Exception {
        Token token = TOKENS.get("enroll");
        try (FakeRa ra = new FakeRa(CA, NOW)) {
            String[] enroll = args(
                    "enroll",
                    ra,
                    token,
                    "--admin-token-env",
                    "ADMIN",
                    "--holder-id",
                    "B234567890",
                    "--name",
                    "陳大文",
                    "--org",
                    "測試機關",
                    "--email",
                    "chen@example.gov.tw",
                    "--lang",
                    "en",
                    "--not-before",
                    "2026-01-01T00:00:00Z",
                    "--not-after",
                    "2026-12-10T00:00:00Z",
                    "--key",
                    "p256",
                    "--json");
            Run unauthorised = cli(Map.of("CARD_PIN", "123456", "ADMIN", "wrong"), enroll);
            assertThat(unauthorised.exit())
                    .as(unauthorised.out() + unauthorised.err())
                    .isEqualTo(ExitCode.REFUSED.code());
            assertThat(unauthorised.json().get("code").asString()).isEqualTo("ADMIN_UNAUTHORIZED");

            Run run = cli(pin("123456"), enroll);
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(0);
            assertThat(run.json().get("notAfter").asString()).isEqualTo("2026-12-10T00:00:00Z");

            Run again = cli(pin("123456"), enroll);
            assertThat(again.exit()).isEqualTo(ExitCode.CARD_ERROR.code());
            assertThat(again.json().get("reason").asString()).isEqualTo("CARD_NOT_EMPTY");
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
    }

    @Test
    void aCaFileThatIsNotACertificateIsAUsageErrorBeforeThePinOrTheCard(@TempDir Path dir) throws Exception {
        Path notACertificate = Files.writeString(dir.resolve("root.pem"), "not a certificate");

        Run run = cli(
                Map.of(),
                args(
                        "status",
                        null,
                        TOKENS.get("status"),
                        "--ca-file",
                        notACertificate.toString(),
                        "--lang",
                        "en",
                        "--json"));

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.json().get("message").asString()).contains("cannot use the CA file " + notACertificate);
    }
}
