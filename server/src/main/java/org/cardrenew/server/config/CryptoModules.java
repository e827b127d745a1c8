package org.cardrenew.server.config;

/**
 * The modules, with their versions, that sign for the issuing CA and check the holders' signatures: what an auditor
 * asks (docs/OPERATIONS.md, native crypto). Logged once at start-up and shown on the console's system page.
 */
public record CryptoModules(String caSigning, String holderChecks) {}
