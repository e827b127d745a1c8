package org.cardrenew.agent.bridge;

import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.CardSignature;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.protocol.SignedPayloads;

/**
 * An officer's console sign-in proof: the card's current signing key signs {@link SignedPayloads#consoleSignIn} of
 * the console's one-time sign-in nonce — a payload only the console's card sign-in accepts, never a status proof
 * that could earn a renewal token — and nothing else; the page posts the proof to the console itself, so the
 * session cookie stays in the browser.
 */
record SignInProof(String certificate, String signature, String signatureAlgorithm) {

    /**
     * Logs in once with {@code pin} (zeroed here, whatever happens; a wrong PIN is never retried) and signs.
     *
     * @return certificate (base64 DER), signature (base64) and signatureAlgorithm; empty when the card holds no
     *         signing certificate with its key
     */
    static Optional<SignInProof> sign(Path module, String token, char[] pin, String nonce) throws CardException {
        try (Card card = Card.open(module, token)) {
            try {
                card.login(pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
            // The certificate the RA knows: the oldest signing certificate with its key (as RenewalFlow).
            Optional<CardEntry> signing = card.read().oldest(KeyPurpose.SIGNING);
            if (signing.isEmpty()) {
                return Optional.empty();
            }
            CardSignature signature = card.sign(signing.get(), SignedPayloads.consoleSignIn(nonce));
            return Optional.of(new SignInProof(
                    Base64.getEncoder()
                            .encodeToString(signing.get().certificate().getEncoded()),
                    Base64.getEncoder().encodeToString(signature.value()),
                    signature.algorithm()));
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(pin, '\0');
        }
    }
}
