package org.cardrenew.agent.testing;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.testkit.Token;

/** Puts an initial certificate pair on a test token with the card library and the test CA. */
public final class CardFixtures {

    private CardFixtures() {}

    public static Card open(Token token) throws CardException {
        return Card.open(Path.of(token.library()), token.label());
    }

    public static Card login(Token token) throws CardException {
        Card card = open(token);
        card.login(token.userPin().toCharArray());
        return card;
    }

    /** Generates both key pairs on the card, has the test CA certify them and installs the certificates. */
    public static Map<KeyPurpose, X509Certificate> enrol(
            Token token, TestCa ca, KeySpec spec, X500Principal subject, Instant notBefore, Instant notAfter)
            throws CardException {
        Map<KeyPurpose, X509Certificate> issued = new EnumMap<>(KeyPurpose.class);
        try (Card card = login(token)) {
            for (KeyPurpose purpose : KeyPurpose.values()) {
                PendingKey key = card.generate(purpose, spec);
                X509Certificate cert = ca.issue(key.publicKey(), subject, purpose, notBefore, notAfter);
                card.install(key, cert);
                issued.put(purpose, cert);
            }
        }
        return issued;
    }
}
