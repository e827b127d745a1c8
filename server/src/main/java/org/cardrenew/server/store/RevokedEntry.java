package org.cardrenew.server.store;

import java.time.Instant;

/** A revoked certificate as a CRL lists it: hex serial, time, RFC 5280 reason name (null: unspecified). */
public record RevokedEntry(String serial, Instant revokedAt, String reason) {}
