package org.cardrenew.server.ra;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.StoredChallenge;
import org.springframework.stereotype.Component;

/**
 * Bearer tokens that let a card that proved possession of its signing key renew (or resume) that certificate. Only a
 * token's SHA-256 is stored, with the use of the challenge whose status check handed it out (issue 14: no write of its
 * own): {@link #prepare} makes one before the check, {@link CardAuthenticator} stores its hash bound to the presented
 * certificate, and the status check hands it out only when that card is authenticated and may renew.
 */
@Component
public class RenewalTokens {

    /** A token made for a status check, not handed out yet; only {@link #sha256} is stored. */
    public record Pending(String token, String sha256, Instant expiresAt) {

        /** Its stored form, bound to the signing certificate of this serial. */
        StoredChallenge.RenewalTokenHash boundTo(String certificateSerial) {
            return new StoredChallenge.RenewalTokenHash(sha256, certificateSerial, expiresAt);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CardPairs pairs;
    private final RenewalProperties properties;
    private final Clock clock;

    public RenewalTokens(CardPairs pairs, RenewalProperties properties, Clock clock) {
        this.pairs = pairs;
        this.properties = properties;
        this.clock = clock;
    }

    /** A fresh token for a status check about to run. */
    public Pending prepare() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Pending(token, hash(token), clock.instant().plus(properties.tokenTtl()));
    }

    /**
     * The card pair of the signing certificate the token is bound to, with that certificate: token, certificate and
     * pair in one query (issue 14: a renewal read them in three).
     */
    public CardPairs.Bound resolvePair(String token) {
        return pairs.ofRenewalToken(hash(required(token)), clock.instant()).orElseThrow(RenewalTokens::invalid);
    }

    private static String required(String token) {
        if (token == null || token.isBlank()) {
            throw new RaException(ErrorCode.RENEWAL_TOKEN_INVALID, "no renewal token");
        }
        return token;
    }

    private static RaException invalid() {
        return new RaException(ErrorCode.RENEWAL_TOKEN_INVALID, "unknown or expired renewal token");
    }

    private static String hash(String token) {
        return KeyHash.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }
}
