package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.cardrenew.server.store.ChallengeRepository;
import org.cardrenew.server.store.CmpReplayRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes challenges and renewal tokens a day after they expired (kept that long for troubleshooting), and CMP
 * senderNonces and transactionIDs once their messages would fail the messageTime check anyway.
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private static final Duration KEEP = Duration.ofDays(1);

    private final ChallengeRepository challenges;
    private final CmpReplayRepository cmpReplays;
    private final Clock clock;

    public Housekeeping(ChallengeRepository challenges, CmpReplayRepository cmpReplays, Clock clock) {
        this.challenges = challenges;
        this.cmpReplays = cmpReplays;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT10M", fixedDelayString = "PT1H")
    public void removeExpired() {
        Instant before = clock.instant().minus(KEEP);
        // A challenge's record carries the renewal token its status check handed out: it goes once both expired.
        int removed = challenges.deleteExpired(before);
        if (removed > 0) {
            log.info("removed {} used challenges whose challenge and renewal token expired", removed);
        }
        cmpReplays.deleteExpired(clock.instant());
    }
}
