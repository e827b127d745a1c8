package org.cardrenew.server.store;

/** Database identity of a stored holder certificate. */
public record CertificateId(long value) {}
