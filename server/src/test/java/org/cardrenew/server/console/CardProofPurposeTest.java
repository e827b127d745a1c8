package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One signature, one meaning (issue 13 item 4): a status proof never signs an officer in, and an officer's console
 * sign-in proof never earns a renewal token — neither with the other purpose's challenge nor with its payload.
 */
@OnH2
class CardProofPurposeTest extends ApiTestBase {

    @Autowired
    private ConsoleUsers users;

    @Test
    void aStatusProofIsRefusedForConsoleSignInWhileASignInProofOfTheSameCardSignsIn() throws Exception {
        Card officer = Card.p256();
        enroll(officer);
        bind(officer);

        ChallengeResponse status = client.challenge();
        assertThat(cardSignIn(officer, status, officer.sign(SignedPayloads.status(status.nonce())))
                        .statusCode())
                .as("a status challenge and its status proof")
                .isEqualTo(401);
        ChallengeResponse signIn = signInChallenge();
        assertThat(cardSignIn(officer, signIn, officer.sign(SignedPayloads.status(signIn.nonce())))
                        .statusCode())
                .as("a sign-in challenge signed as a status proof")
                .isEqualTo(401);
        ChallengeResponse statusAgain = client.challenge();
        assertThat(cardSignIn(officer, statusAgain, officer.sign(SignedPayloads.consoleSignIn(statusAgain.nonce())))
                        .statusCode())
                .as("a status challenge signed as a sign-in proof")
                .isEqualTo(401);

        ChallengeResponse fresh = signInChallenge();
        assertThat(cardSignIn(officer, fresh, officer.sign(SignedPayloads.consoleSignIn(fresh.nonce())))
                        .statusCode())
                .as("the same card with a sign-in proof")
                .isEqualTo(204);
    }

    @Test
    void aConsoleSignInProofEarnsNoRenewalTokenWhileAStatusProofOfTheSameCardDoes() throws Exception {
        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);

        ChallengeResponse signIn = signInChallenge();
        assertThat(refusal(signIn, card.sign(SignedPayloads.consoleSignIn(signIn.nonce())), card))
                .as("a sign-in challenge and its sign-in proof")
                .isEqualTo(ErrorCode.CHALLENGE_UNKNOWN.name());
        ChallengeResponse status = client.challenge();
        assertThat(refusal(status, card.sign(SignedPayloads.consoleSignIn(status.nonce())), card))
                .as("a status challenge signed as a sign-in proof")
                .isEqualTo(ErrorCode.SIGNATURE_INVALID.name());

        StatusResponse shown = status(card);
        assertThat(shown.status()).isEqualTo(CertificateStatus.RENEWABLE);
        assertThat(shown.renewalToken()).isNotNull();
    }

    @Test
    void anUnknownChallengePurposeIsRefused() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/challenges?purpose=renewal"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("REQUEST_INVALID");
    }

    private String refusal(ChallengeResponse challenge, String signature, Card card) {
        return catchThrowableOfType(
                        RaRefusedException.class,
                        () -> client.status(new StatusRequest(
                                challenge.challengeId(), card.signingCertificateBase64(), signature, card.algorithm())))
                .code();
    }

    private void bind(Card card) throws Exception {
        String name = "purpose-officer-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, ConsoleRole.OFFICER, null, "test");
        HttpResponse<String> bound = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/api/v1/admin/console/users/" + name + "/cards"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"serial\":\"" + card.serial() + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    }

    /** POST /console/card-sign-in as the page does: a fresh browser session, its CSRF token, the card's proof. */
    private HttpResponse<String> cardSignIn(Card officer, ChallengeResponse challenge, String signature)
            throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console/login"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).isTrue();
        String body = "{\"challengeId\":\"" + challenge.challengeId() + "\",\"certificate\":\""
                + officer.signingCertificateBase64() + "\",\"signature\":\"" + signature
                + "\",\"signatureAlgorithm\":\"" + officer.algorithm() + "\"}";
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console/card-sign-in"))
                        .header("Content-Type", "application/json")
                        .header("X-CSRF-TOKEN", token.group(1))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
