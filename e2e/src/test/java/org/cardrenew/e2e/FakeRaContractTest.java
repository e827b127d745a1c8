package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.FakeRa;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 8: the agent's own tests renew against {@link FakeRa}; here the agent's {@link RenewalFlow} runs the
 * same scenarios against FakeRa and against the real server, and what the agent sees (status, result, resumption,
 * refusal code) must be the same on both, so the fake cannot drift from the RA unnoticed.
 */
class FakeRaContractTest {

    private static final String PIN = "123456";
    private static ServerUnderTest server;
    private static FakeRa fake;
    private static TestCa testCa;
    private static Instant now;
    private static final java.util.Map<String, Token> TOKENS = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // SoftHSM2 shows a JVM only the tokens that existed when the library was first loaded: all of them first.
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String label : List.of("CONTRACT-FAKE-1", "CONTRACT-REAL-1", "CONTRACT-FAKE-2", "CONTRACT-REAL-2")) {
            TOKENS.put(label, hsm.createToken(label, PIN));
        }
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        now = Instant.now();
        testCa = TestCa.create();
        fake = new FakeRa(testCa, now);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fake != null) {
            fake.close();
        }
        Opened.closeAll(server);
    }

    /** One RA the agent talks to, and how a card is enrolled with it. */
    private interface Ra {
        URI uri();

        void enrol(Token token, String holderId) throws Exception;
    }

    private static final Ra FAKE = new Ra() {
        @Override
        public URI uri() {
            return fake.uri();
        }

        @Override
        public void enrol(Token token, String holderId) throws Exception {
            fake.register(CardFixtures.enrol(
                    token,
                    testCa,
                    KeySpec.EC_P256,
                    TestCa.holder("數位發展部", "王大同", holderId),
                    now.minus(Duration.ofDays(710)),
                    now.plus(Duration.ofDays(20))));
        }
    };

    private static final Ra REAL = new Ra() {
        @Override
        public URI uri() {
            return URI.create(server.url());
        }

        @Override
        public void enrol(Token token, String holderId) {
            Cli.Run run = new Cli(server.url(), token)
                    .enroll(holderId, "王大同", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
    };

    @Test
    void aRenewableCardIsRenewedOnceAndARepeatedRunFindsItRenewed() throws Exception {
        List<String> fakeTrace = renewTwice(FAKE, "CONTRACT-FAKE-1", "A123456789");
        List<String> realTrace = renewTwice(REAL, "CONTRACT-REAL-1", "A123456789");
        assertThat(realTrace.get(0)).isEqualTo("status RENEWABLE");
        assertThat(realTrace.get(1)).isEqualTo("renew RENEWED resumed=false");
        assertThat(fakeTrace).isEqualTo(realTrace);
    }

    @Test
    void aRenewalInterruptedAfterTheFirstWriteIsResumedWithoutIssuingAgain() throws Exception {
        List<String> fakeTrace = interruptedThenResumed(FAKE, "CONTRACT-FAKE-2", "A223456789");
        List<String> realTrace = interruptedThenResumed(REAL, "CONTRACT-REAL-2", "A223456789");
        assertThat(realTrace).contains("renew RENEWED resumed=true");
        assertThat(fakeTrace).isEqualTo(realTrace);
    }

    private static List<String> renewTwice(Ra ra, String label, String holderId) throws Exception {
        Token token = TOKENS.get(label);
        ra.enrol(token, holderId);
        List<String> trace = new ArrayList<>();
        trace.add(status(ra, token));
        trace.add(renew(ra, token, RenewalListener.NONE));
        trace.add(renew(ra, token, RenewalListener.NONE));
        trace.add(status(ra, token));
        return trace;
    }

    private static List<String> interruptedThenResumed(Ra ra, String label, String holderId) throws Exception {
        Token token = TOKENS.get(label);
        ra.enrol(token, holderId);
        RenewalListener pulledAfterFirstWrite = new RenewalListener() {
            @Override
            public void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {
                throw new IllegalStateException("card pulled");
            }
        };
        List<String> trace = new ArrayList<>();
        trace.add(renew(ra, token, pulledAfterFirstWrite));
        trace.add(status(ra, token));
        trace.add(renew(ra, token, RenewalListener.NONE));
        trace.add(status(ra, token));
        return trace;
    }

    private static String status(Ra ra, Token token) throws Exception {
        try (Card card = Card.open(Path.of(token.library()), token.label())) {
            return "status "
                    + new RenewalFlow(new RaClient(ra.uri(), "en"), RenewalListener.NONE)
                            .status(card, PinSource.of(PIN.toCharArray()))
                            .status();
        } catch (RaRefusedException e) {
            return "status refused " + e.code();
        }
    }

    private static String renew(Ra ra, Token token, RenewalListener listener) throws Exception {
        try (Card card = Card.open(Path.of(token.library()), token.label())) {
            RenewalOutcome outcome = new RenewalFlow(new RaClient(ra.uri(), "en"), listener)
                    .renew(card, PinSource.of(PIN.toCharArray()), null);
            return "renew " + outcome.result() + " resumed=" + outcome.resumed();
        } catch (RaRefusedException e) {
            return "renew refused " + e.code();
        } catch (IllegalStateException e) {
            return "renew interrupted: " + e.getMessage();
        }
    }
}
