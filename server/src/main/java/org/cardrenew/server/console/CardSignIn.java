package org.cardrenew.server.console;

import java.util.Optional;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.server.ra.AuthenticatedCard;
import org.cardrenew.server.ra.CardAuthenticator;
import org.cardrenew.server.ra.CardRefusal;
import org.cardrenew.server.ra.CardUse;
import org.cardrenew.server.ra.SignedChallenge;
import org.cardrenew.server.store.ConsoleCardRepository;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.springframework.stereotype.Service;

/**
 * Officer sign-in with a smart card: the card signs a fresh console sign-in challenge
 * ({@code SignedPayloads.consoleSignIn}, never a status proof); the RA's {@link CardAuthenticator} checks the card
 * (this CA's current signing certificate, not expired, revoked or superseded), and an administrator must have bound
 * its holder to a console user, whose role then applies.
 */
@Service
public class CardSignIn {

    /** Who signed in. */
    public record Officer(String name, ConsoleRole role, String certificateSerial) {}

    /** The answer: the officer, or the refusal's code and detail for the audit record (never told to the client). */
    public record Attempt(Optional<Officer> officer, String refusalCode, String detail) {}

    private final CardAuthenticator authenticator;
    private final ConsoleCardRepository cards;
    private final ConsoleUserRepository users;

    public CardSignIn(CardAuthenticator authenticator, ConsoleCardRepository cards, ConsoleUserRepository users) {
        this.authenticator = authenticator;
        this.cards = cards;
        this.users = users;
    }

    /** Uses the challenge up (a failed attempt cannot be retried with it) and signs the officer in, or says why not. */
    public Attempt signIn(StatusRequest request) {
        AuthenticatedCard card;
        try {
            card = authenticator.bySignedChallenge(SignedChallenge.of(request), CardUse.CONSOLE_SIGN_IN);
        } catch (CardRefusal e) {
            return new Attempt(Optional.empty(), e.code().name(), e.getMessage());
        }
        String serial = card.serial();
        // Bound by the holder's identity (issue 12): only the holder's current signing certificate signs in.
        Optional<Officer> officer = cards.userOfCurrentSigningCertificate(serial)
                .flatMap(users::find)
                .map(u -> new Officer(u.name(), ConsoleRole.valueOf(u.role()), serial));
        return officer.isPresent()
                ? new Attempt(officer, null, null)
                : new Attempt(officer, "CARD_NOT_BOUND", "card " + serial + " is bound to no console user");
    }
}
