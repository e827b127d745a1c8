package org.cardrenew.server.store;

import java.math.BigInteger;
import java.time.Instant;

/** A CRL the CA signed, as published: every node serves the newest one. */
public record PublishedCrl(BigInteger number, Instant thisUpdate, Instant nextUpdate, Der der) {}
