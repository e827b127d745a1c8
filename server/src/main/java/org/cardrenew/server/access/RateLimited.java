package org.cardrenew.server.access;

import java.time.Duration;

/** A request over a limit: answered 429 RATE_LIMITED with Retry-After (the web layer's error handler). */
public class RateLimited extends RuntimeException {

    private final transient Duration wait;

    public RateLimited(Duration wait) {
        super("rate limited for " + wait);
        this.wait = wait;
    }

    /** RFC 9110 §10.2.3: whole seconds, at least one. */
    public String retryAfter() {
        return retryAfter(wait);
    }

    static String retryAfter(Duration wait) {
        return String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
