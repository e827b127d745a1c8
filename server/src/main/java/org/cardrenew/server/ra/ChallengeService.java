package org.cardrenew.server.ra;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.ChallengeProperties;
import org.cardrenew.server.store.ChallengeId;
import org.cardrenew.server.store.ChallengeRepository;
import org.cardrenew.server.store.StoredChallenge;
import org.springframework.stereotype.Service;

/** Issues one-time challenges and uses them up. */
@Service
public class ChallengeService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChallengeRepository challenges;
    private final ChallengeProperties properties;
    private final Counter issued;
    private final Clock clock;

    public ChallengeService(ChallengeRepository challenges, ChallengeProperties properties, MeterRegistry meters,
            Clock clock) {
        this.challenges = challenges;
        this.properties = properties;
        this.issued = Counter.builder("cardrenew.challenges.issued")
                .description("challenges issued to cards (POST /api/v1/challenges)")
                .register(meters);
        this.clock = clock;
    }

    public ChallengeResponse issue() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        Instant now = clock.instant();
        StoredChallenge challenge = new StoredChallenge(ChallengeId.random(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), now, now.plus(properties.ttl()), null);
        challenges.insert(challenge);
        // Not an audit record: issuing a random nonce to an anonymous caller decides nothing about any card, and the
        // tamper-evident trail must not grow at an anonymous caller's will. Its use is audited with the decision it
        // authenticates (STATUS_SHOWN / STATUS_REFUSED name the challenge); issuance is counted.
        issued.increment();
        return new ChallengeResponse(challenge.id().toString(), challenge.nonce(), challenge.expiresAt());
    }

    /**
     * Uses the challenge up and returns its nonce. Single use whatever happens next: a challenge whose signature then
     * fails is spent too, so it cannot be probed.
     */
    String consume(String challengeId) {
        ChallengeId id = ChallengeId.parse(challengeId)
                .orElseThrow(() -> new RaException(ErrorCode.CHALLENGE_UNKNOWN, "challenge id is not a UUID"));
        Instant now = clock.instant();
        if (challenges.consume(id, now)) {
            return challenges.find(id).orElseThrow().nonce();
        }
        StoredChallenge challenge = challenges.find(id)
                .orElseThrow(() -> new RaException(ErrorCode.CHALLENGE_UNKNOWN, "no challenge " + id));
        if (challenge.usedAt() != null) {
            throw new RaException(ErrorCode.CHALLENGE_USED, "challenge " + id + " was used at " + challenge.usedAt());
        }
        throw new RaException(ErrorCode.CHALLENGE_EXPIRED, "challenge " + id + " expired at " + challenge.expiresAt());
    }
}
