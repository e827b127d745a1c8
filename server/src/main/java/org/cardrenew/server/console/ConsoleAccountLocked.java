package org.cardrenew.server.console;

import java.time.Instant;

/** A sign-in to an account that is locked after repeated failures, until {@code until} or an administrator's unlock. */
public class ConsoleAccountLocked extends RuntimeException {

    private final transient Instant until;

    public ConsoleAccountLocked(String name, Instant until) {
        super("console account " + name + " is locked until " + until);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
