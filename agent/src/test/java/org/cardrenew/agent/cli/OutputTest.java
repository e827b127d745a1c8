package org.cardrenew.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cardrenew.agent.card.CardFailureException;
import org.cardrenew.agent.card.NoTokenException;
import org.cardrenew.agent.card.PinLockedException;
import org.cardrenew.agent.card.PinWarning;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RaUnreachableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure maps to its documented exit code and names the reason, also for outcomes SoftHSM2 cannot produce. */
class OutputTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("pin/wrong", new WrongPinException(PinWarning.NONE, null), ExitCode.WRONG_PIN, "Wrong PIN"),
                Arguments.of("pin/count-low", new WrongPinException(PinWarning.COUNT_LOW, null), ExitCode.WRONG_PIN, "few tries are left"),
                Arguments.of("pin/final-try", new WrongPinException(PinWarning.FINAL_TRY, null), ExitCode.WRONG_PIN, "one more wrong PIN locks"),
                Arguments.of("pin/locked", new PinLockedException(null), ExitCode.PIN_LOCKED, "locked"),
                Arguments.of("token/removed", new NoTokenException(NoTokenException.Reason.CARD_REMOVED, "gone", null),
                        ExitCode.NO_TOKEN, "resumes where it stopped"),
                Arguments.of("card/failure", new CardFailureException("CKR 0x5"), ExitCode.CARD_ERROR, "CKR 0x5"),
                Arguments.of("card/not-empty", new RenewalException(RenewalException.Reason.CARD_NOT_EMPTY, "has certificates"),
                        ExitCode.CARD_ERROR, "CARD_NOT_EMPTY"),
                Arguments.of("server/refused", new RaRefusedException(400, new ApiError("CSR_SUBJECT_MISMATCH", "subject differs")),
                        ExitCode.REFUSED, "CSR_SUBJECT_MISMATCH"),
                Arguments.of("server/unreachable", new RaUnreachableException("cannot reach", new ConnectException()),
                        ExitCode.NETWORK, "cannot reach"),
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
        Output json = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Messages.of("en"), true);

        assertThat(json.failure(failure, options)).isEqualTo(code.code());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"result\":\"" + code.name() + "\"").contains(named);

        Output human = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Messages.of("zh-TW"), false);
        assertThat(human.failure(failure, options)).isEqualTo(code.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).isNotBlank();
    }
}
