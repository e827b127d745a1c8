package org.cardrenew.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.cardrenew.agent.card.CardFailureException;
import org.cardrenew.agent.card.CardFullException;
import org.cardrenew.agent.card.KeyUsageIgnoredException;
import org.cardrenew.agent.card.NoTokenException;
import org.cardrenew.agent.card.PinLockedException;
import org.cardrenew.agent.card.PinWarning;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RaUnreachableException;
import org.cardrenew.protocol.ServerNotTrustedException;
import org.cardrenew.protocol.ServerTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure maps to its documented exit code and names the reason, also for outcomes SoftHSM2 cannot produce. */
class OutputTest {

    private static final ServerNotTrustedException UNTRUSTED = new ServerNotTrustedException(
            URI.create("https://renew.example.gov.tw"),
            ServerTrust.Reason.UNKNOWN_ISSUER,
            List.of(new ServerNotTrustedException.Presented(
                    "CN=renew.example.gov.tw", "CN=Agency Root, O=Agency, C=TW")),
            new SSLHandshakeException("PKIX path building failed"));

    @Test
    void aFailureIsOneJsonObjectWithOnlyTheFieldsItHasAndTheSentenceLast() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Output json =
                new Output(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Messages.of("en"), true);

        int exit = json.failure(new WrongPinException(PinWarning.FINAL_TRY, null), new CardOptions());

        assertThat(exit).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .startsWith("{\"result\":\"WRONG_PIN\",\"exitCode\":4,\"pinWarning\":\"FINAL_TRY\",\"message\":\"")
                .doesNotContain("null", "\"code\"", "\"reason\"", "\"chain\"")
                .endsWith("\"}");
    }

    @Test
    void anUntrustedServerNamesItsChainForTheDesktopTeamAndNeverSaysTryAgainLater() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CardOptions options = new CardOptions();
        Output json =
                new Output(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Messages.of("en"), true);

        assertThat(json.failure(UNTRUSTED, options)).isEqualTo(10);
        String answer = out.toString(StandardCharsets.UTF_8);
        assertThat(answer)
                .contains(
                        "\"code\":\"SERVER_NOT_TRUSTED\"",
                        "\"reason\":\"UNKNOWN_ISSUER\"",
                        "\"server\":\"https://renew.example.gov.tw\"",
                        "\"chain\":[{\"subject\":\"CN=renew.example.gov.tw\",\"issuer\":\"CN=Agency Root, O=Agency, C=TW\"}]",
                        "could not be verified; contact your IT support",
                        "--ca-file");
        assertThat(answer).doesNotContain("later");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output human =
                new Output(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), Messages.of("zh-TW"), false);
        human.failure(UNTRUSTED, options);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("無法驗證與展期網站的連線，請聯絡您的資訊人員")
                .contains("主體 CN=renew.example.gov.tw；簽發者 CN=Agency Root, O=Agency, C=TW")
                .doesNotContain("稍後");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        "pin/wrong", new WrongPinException(PinWarning.NONE, null), ExitCode.WRONG_PIN, "Wrong PIN"),
                Arguments.of(
                        "pin/count-low",
                        new WrongPinException(PinWarning.COUNT_LOW, null),
                        ExitCode.WRONG_PIN,
                        "few tries are left"),
                Arguments.of(
                        "pin/final-try",
                        new WrongPinException(PinWarning.FINAL_TRY, null),
                        ExitCode.WRONG_PIN,
                        "one more wrong PIN locks"),
                Arguments.of("pin/locked", new PinLockedException(null), ExitCode.PIN_LOCKED, "locked"),
                Arguments.of(
                        "token/removed",
                        new NoTokenException(NoTokenException.Reason.CARD_REMOVED, "gone", null),
                        ExitCode.NO_TOKEN,
                        "resumes where it stopped"),
                Arguments.of("card/failure", new CardFailureException("CKR 0x5"), ExitCode.CARD_ERROR, "CKR 0x5"),
                Arguments.of(
                        "card/full",
                        new CardFullException("no room", 0x31, null),
                        ExitCode.CARD_FULL,
                        "cardrenew history remove"),
                Arguments.of(
                        "card/key-usage-ignored",
                        new KeyUsageIgnoredException("ignored", List.of("CKA_DECRYPT false")),
                        ExitCode.CARD_ERROR,
                        "CKA_DECRYPT false"),
                Arguments.of(
                        "card/not-empty",
                        new RenewalException(RenewalException.Reason.CARD_NOT_EMPTY, "has certificates"),
                        ExitCode.CARD_ERROR,
                        "CARD_NOT_EMPTY"),
                Arguments.of(
                        "server/refused",
                        new RaRefusedException(400, new ApiError("CSR_SUBJECT_MISMATCH", "subject differs")),
                        ExitCode.REFUSED,
                        "CSR_SUBJECT_MISMATCH"),
                Arguments.of(
                        "server/unreachable",
                        new RaUnreachableException("cannot reach", new ConnectException()),
                        ExitCode.NETWORK,
                        "cannot reach"),
                Arguments.of("server/not-trusted", UNTRUSTED, ExitCode.SERVER_NOT_TRUSTED, "contact your IT support"),
                Arguments.of("other", new IllegalStateException("boom"), ExitCode.UNEXPECTED, "boom"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureExitsWithItsCodeAndNamesTheReason(String name, Exception failure, ExitCode code, String named) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CardOptions options = new CardOptions();
        options.module = Path.of("/lib/pkcs11.so");
        options.token = "card";
        Output json = new Output(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Messages.of("en"),
                true);

        assertThat(json.failure(failure, options)).isEqualTo(code.code());
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"result\":\"" + code.name() + "\"")
                .contains(named);

        Output human = new Output(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Messages.of("zh-TW"),
                false);
        assertThat(human.failure(failure, options)).isEqualTo(code.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).isNotBlank();
    }
}
