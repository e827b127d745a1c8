package org.cardrenew.agent.cli;

/** The command line cannot run as given; exits {@link ExitCode#USAGE}. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
