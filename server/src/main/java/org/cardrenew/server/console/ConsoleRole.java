package org.cardrenew.server.console;

/**
 * Who may do what in the console: officers search and act on holders and renewals, auditors read the audit trail
 * (read-only), administrators manage users and configuration and may do both.
 */
public enum ConsoleRole {
    ADMINISTRATOR,
    OFFICER,
    AUDITOR;

    /** The Spring Security authority name. */
    public String authority() {
        return "ROLE_" + name();
    }
}
