package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A renewal interrupted at each point where a card can be pulled or a process killed, then resumed by
 * running {@code cardrenew renew} again: it completes, the CA issued exactly once, and the card ends with
 * exactly the new objects and the old encryption key as decryption history.
 */
class InterruptedRenewalTest {

    /** Thrown by the listener where the interruption is simulated. */
    static final class Interruption extends RuntimeException {
        Interruption(String where) {
            super("simulated interruption " + where);
        }
    }

    static final Map<String, Function<Token, RenewalListener>> INTERRUPTIONS = new LinkedHashMap<>();

    static {
        INTERRUPTIONS.put(
                "after generating the new keys, before sending the CSRs", t -> afterStep(RenewalStep.GENERATE_KEYS));
        INTERRUPTIONS.put("after issuance, before anything is written", t -> afterStep(RenewalStep.SEND_TO_CA));
        INTERRUPTIONS.put("after writing one certificate", t -> new RenewalListener() {
            @Override
            public void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {
                if (purpose == KeyPurpose.SIGNING) {
                    throw new Interruption("after writing the signing certificate");
                }
            }
        });
        INTERRUPTIONS.put("after writing both, before confirming", t -> afterStep(RenewalStep.VERIFY));
        INTERRUPTIONS.put("after confirming, before deleting the old objects", t -> afterStep(RenewalStep.CONFIRM));
    }

    static final Map<String, Token> CARDS = new LinkedHashMap<>();
    static ServerUnderTest server;

    @BeforeAll
    static void start() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        int i = 0;
        for (String name : INTERRUPTIONS.keySet()) {
            CARDS.put(name, hsm.createToken("E2E-INT-" + (++i), "123456"));
        }
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> interruptions() {
        return INTERRUPTIONS.keySet().stream().map(name -> Arguments.of(Named.of(name, name)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interruptions")
    void aRenewalInterruptedIsCompletedByTheNextRunWithoutIssuingTwice(String where) throws Exception {
        Token card = CARDS.get(where);
        String holderId = "R" + String.format("%09d", Math.abs(where.hashCode()) % 1_000_000_000);
        Cli cli = new Cli(server.url(), card);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Cli.Run enrolled =
                cli.enroll(holderId, "林志明", "p256", now.minus(Duration.ofDays(700)), now.plus(Duration.ofDays(10)));
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        CardObjects before = CardObjects.of(card);

        RenewalFlow interrupted = new RenewalFlow(
                new RaClient(URI.create(server.url()), "en"),
                INTERRUPTIONS.get(where).apply(card));
        try (Card opened = Card.open(Path.of(card.library()), card.label())) {
            assertThatThrownBy(() -> interrupted.renew(
                            opened, PinSource.of(card.userPin().toCharArray()), null))
                    .isInstanceOf(Interruption.class);
        }
        // Whatever state it was left in, the card still holds a working pair: the old one is only deleted last.
        assertThat(CardObjects.of(card).privateKeyIds()).containsAll(before.privateKeyIds());

        Cli.Run resumed = cli.renew("--json");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();

        CardObjects after = CardObjects.of(card);
        assertThat(after.privateKeyIds()).hasSize(2).doesNotContainAnyElementsOf(before.privateKeyIds());
        assertThat(after.certificateIds()).containsExactlyInAnyOrderElementsOf(after.privateKeyIds());
        // Of the old pair, only the encryption key stays: as decryption history, with its certificate.
        assertThat(after.historyKeyIds()).hasSize(1).isSubsetOf(before.privateKeyIds());
        assertThat(after.historyCertificateIds()).isEqualTo(after.historyKeyIds());
        assertThat(issuedCertificates(holderId))
                .as("2 enrolled + 2 renewed, never issued twice")
                .isEqualTo(4);
        assertThat(renewalState(holderId)).isEqualTo("COMPLETED");

        Cli.Run status = cli.status("--json");
        assertThat(status.out()).contains("\"status\":\"NOT_YET_RENEWABLE\"");
    }

    private static long issuedCertificates(String holderId) {
        return server.jdbc()
                .sql("SELECT COUNT(*) FROM certificate c JOIN card_pair p ON c.pair_id = p.id WHERE p.holder_id = ?")
                .param(holderId)
                .query(Long.class)
                .single();
    }

    private static String renewalState(String holderId) {
        return server.jdbc()
                .sql("SELECT r.state FROM renewal r JOIN card_pair p ON r.old_pair_id = p.id WHERE p.holder_id = ?")
                .param(holderId)
                .query(String.class)
                .single();
    }

    private static RenewalListener afterStep(RenewalStep step) {
        return new RenewalListener() {
            @Override
            public void stepFinished(RenewalStep finished) {
                if (finished == step) {
                    throw new Interruption("after " + step);
                }
            }
        };
    }
}
