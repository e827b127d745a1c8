package org.cardrenew.server.ra;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.ChallengeProperties;
import org.cardrenew.server.store.ChallengeId;
import org.cardrenew.server.store.ChallengePurpose;
import org.cardrenew.server.store.ChallengeRepository;
import org.cardrenew.server.store.StoredChallenge;
import org.springframework.stereotype.Service;

/**
 * Issues one-time challenges and uses them up. A challenge is stateless until it is used: its id is
 * {@code <random UUID>.<purpose>.<expiry, epoch seconds>.<tag>} with the tag an HMAC of the rest under the
 * {@link ChallengeKey}, and its nonce another HMAC of the same text. Issuing writes nothing; any node holding the key
 * checks an id without a read; using one writes its single-use record (one INSERT that fails on a replay).
 */
@Service
public class ChallengeService {

    private static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = 32;

    private final ChallengeRepository challenges;
    private final ChallengeKey key;
    private final ChallengeProperties properties;
    private final Counter issued;
    private final Clock clock;

    public ChallengeService(
            ChallengeRepository challenges,
            ChallengeKey key,
            ChallengeProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.challenges = challenges;
        this.key = key;
        this.properties = properties;
        this.issued = Counter.builder("cardrenew.challenges.issued")
                .description("challenges issued to cards (POST /api/v1/challenges)")
                .register(meters);
        this.clock = clock;
    }

    /** A fresh challenge that authenticates this purpose only. */
    public ChallengeResponse issue(ChallengePurpose purpose) {
        Instant expiresAt =
                Instant.ofEpochSecond(clock.instant().plus(properties.ttl()).getEpochSecond());
        String body = ChallengeId.random() + "." + purpose.name() + "." + expiresAt.getEpochSecond();
        // Not an audit record: issuing a nonce to an anonymous caller decides nothing about any card, and the
        // tamper-evident trail must not grow at an anonymous caller's will. Its use is audited with the decision it
        // authenticates (STATUS_SHOWN / STATUS_REFUSED name the challenge); issuance is counted.
        issued.increment();
        return new ChallengeResponse(
                body + "." + key.mac("id", body, TAG_BYTES), key.mac("nonce", body, NONCE_BYTES), expiresAt);
    }

    /** A challenge this server made for {@code purpose}, not expired, and its nonce: checked without a read or write. */
    record Usable(ChallengeId id, ChallengePurpose purpose, Instant expiresAt, String nonce) {}

    /**
     * The challenge, if this server's key made it for this purpose and it has not expired; nothing is written: an id
     * this server's key did not make is unknown, and a challenge issued for another purpose is unknown and stays
     * unused (a status challenge never authenticates a console sign-in, nor the other way round). A caller that goes
     * on records its use with {@link #recordUse} whatever it then decides: a challenge whose signature fails is spent
     * too, so it cannot be probed.
     */
    Usable usable(String challengeId, ChallengePurpose purpose) {
        Parsed challenge = parse(challengeId)
                .filter(c -> c.purpose() == purpose)
                .orElseThrow(() ->
                        new RaException(ErrorCode.CHALLENGE_UNKNOWN, "no " + purpose + " challenge " + challengeId));
        // Validity is inclusive of expiresAt.
        if (clock.instant().isAfter(challenge.expiresAt())) {
            throw new RaException(
                    ErrorCode.CHALLENGE_EXPIRED,
                    "challenge " + challenge.id() + " expired at " + challenge.expiresAt());
        }
        return new Usable(
                challenge.id(), purpose, challenge.expiresAt(), key.mac("nonce", challenge.body(), NONCE_BYTES));
    }

    /**
     * Records the challenge's single use (one INSERT that fails on a replay, on every node), with {@code token} (null:
     * none): the renewal token a status check may hand out, stored with the use instead of by a write of its own
     * (issue 14).
     *
     * @throws RaException CHALLENGE_USED when it was used before (on PostgreSQL the transaction must then roll back);
     *     in a transaction of the server's transaction manager the use goes with the COMMIT, which fails instead
     */
    void recordUse(Usable challenge, StoredChallenge.RenewalTokenHash token) {
        Instant now = clock.instant();
        if (!challenges.recordUse(new StoredChallenge(
                challenge.id(), challenge.purpose(), challenge.nonce(), now, challenge.expiresAt(), now, token))) {
            throw usedBefore(challenge.id().toString());
        }
    }

    /**
     * The refusal of a replayed challenge: thrown by {@link #recordUse} when the use is written at once, and by the
     * caller when it went with the COMMIT and the commit failed on it (ChallengeRepository.recordUse).
     */
    static RaException usedBefore(String challengeId) {
        // named by its id alone (what precedes the first dot), as the stored use is
        int dot = challengeId.indexOf('.');
        return new RaException(
                ErrorCode.CHALLENGE_USED,
                "challenge " + (dot < 0 ? challengeId : challengeId.substring(0, dot)) + " was used before");
    }

    private record Parsed(ChallengeId id, ChallengePurpose purpose, Instant expiresAt, String body) {}

    private Optional<Parsed> parse(String text) {
        if (text == null || text.length() > 200) {
            return Optional.empty();
        }
        int tagAt = text.lastIndexOf('.');
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4 || !ChallengeKey.same(key.mac("id", text.substring(0, tagAt), TAG_BYTES), parts[3])) {
            return Optional.empty();
        }
        try {
            return ChallengeId.parse(parts[0])
                    .map(id -> new Parsed(
                            id,
                            ChallengePurpose.valueOf(parts[1]),
                            Instant.ofEpochSecond(Long.parseLong(parts[2])),
                            text.substring(0, tagAt)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
