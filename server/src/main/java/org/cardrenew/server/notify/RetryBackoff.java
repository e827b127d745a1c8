package org.cardrenew.server.notify;

import java.time.Duration;

/** Exponential backoff between delivery attempts: initial, 2×, 4× ... capped at max. */
record RetryBackoff(Duration initial, Duration max) {

    /** The wait after the given number of failed attempts (1 after the first failure). */
    Duration after(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
    }
}
