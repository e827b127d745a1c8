package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cards that must not be renewed, and a wrong PIN: the CLI says why, exits with its code, and the card is untouched. */
class RefusedRenewalTest {

    static Token notYet;
    static Token expired;
    static Token wrongPin;
    static ServerUnderTest server;

    @BeforeAll
    static void start() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        notYet = hsm.createToken("E2E-NOT-YET", "123456");
        expired = hsm.createToken("E2E-EXPIRED", "123456");
        wrongPin = hsm.createToken("E2E-WRONG-PIN", "123456");
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCardOutsideTheWindowIsNotRenewedAndNothingIsGeneratedOnIt() {
        Cli cli = new Cli(server.url(), notYet);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(cli.enroll(
                                "N100000001",
                                "張家豪",
                                "rsa2048",
                                now.minus(Duration.ofDays(500)),
                                now.plus(Duration.ofDays(200)))
                        .exitCode())
                .isZero();
        CardObjects before = CardObjects.of(notYet);

        Cli.Run status = cli.status("--json");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).contains("\"status\":\"NOT_YET_RENEWABLE\"").contains("renewalWindowOpens");

        Cli.Run renew = cli.renew();
        assertThat(renew.exitCode()).as(renew.toString()).isEqualTo(3);
        assertThat(renew.out() + renew.err()).contains("NOT_YET_RENEWABLE");
        assertThat(CardObjects.of(notYet)).isEqualTo(before);
    }

    @Test
    void anExpiredCardIsToldToApplyForANewCard() {
        Cli cli = new Cli(server.url(), expired);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(cli.enroll(
                                "E100000001",
                                "李淑芬",
                                "p256",
                                now.minus(Duration.ofDays(731)),
                                now.minus(Duration.ofDays(1)))
                        .exitCode())
                .isZero();
        CardObjects before = CardObjects.of(expired);

        Cli.Run status = cli.status("--json");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).contains("\"status\":\"EXPIRED\"");

        Cli.Run renew = cli.run("renew", "--lang", "en");
        assertThat(renew.exitCode()).isEqualTo(3);
        assertThat((renew.out() + renew.err()).toLowerCase()).contains("new card");
        assertThat(CardObjects.of(expired)).isEqualTo(before);
    }

    @Test
    void aWrongPinIsReportedAndNeverRetriedAndTheCardIsUntouched() {
        Cli cli = new Cli(server.url(), wrongPin);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(cli.enroll(
                                "W100000001",
                                "黃建國",
                                "p256",
                                now.minus(Duration.ofDays(700)),
                                now.plus(Duration.ofDays(5)))
                        .exitCode())
                .isZero();
        CardObjects before = CardObjects.of(wrongPin);

        Cli.Run renew = cli.runWithPin("renew", "000000");
        assertThat(renew.exitCode()).as(renew.toString()).isEqualTo(4);
        assertThat(CardObjects.of(wrongPin)).isEqualTo(before);

        // The right PIN still works afterwards: one wrong try did not lock or damage anything.
        assertThat(cli.status("--json").out()).contains("\"status\":\"RENEWABLE\"");
    }
}
