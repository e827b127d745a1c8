package org.cardrenew.server.ra;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CertificateId;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.RenewalTokenRepository;
import org.springframework.stereotype.Component;

/** Bearer tokens that let a card that proved possession of its signing key renew (or resume) that certificate. */
@Component
public class RenewalTokens {

    /** A freshly issued token; only its hash is stored. */
    public record Issued(String token, Instant expiresAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RenewalTokenRepository tokens;
    private final CardPairs pairs;
    private final RenewalProperties properties;
    private final Clock clock;

    public RenewalTokens(RenewalTokenRepository tokens, CardPairs pairs, RenewalProperties properties, Clock clock) {
        this.tokens = tokens;
        this.pairs = pairs;
        this.properties = properties;
        this.clock = clock;
    }

    public Issued issue(CertificateId boundTo) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(properties.tokenTtl());
        tokens.insert(hash(token), boundTo, now, expires);
        return new Issued(token, expires);
    }

    /** The signing certificate the token is bound to. */
    public CertificateId resolve(String token) {
        return tokens.findValid(hash(required(token)), clock.instant()).orElseThrow(RenewalTokens::invalid);
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
