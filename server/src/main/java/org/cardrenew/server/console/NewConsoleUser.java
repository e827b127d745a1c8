package org.cardrenew.server.console;

/**
 * A console user just created: the password and the otpauth:// URI (for an authenticator app) are shown once and
 * never again.
 */
public record NewConsoleUser(String name, ConsoleRole role, String password, String otpauthUri) {}
