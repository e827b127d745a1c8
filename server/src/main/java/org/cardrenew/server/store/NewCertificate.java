package org.cardrenew.server.store;

import java.time.Instant;

/** A just-issued certificate to store. */
public record NewCertificate(
        CertificateKind kind,
        String serial,
        String subjectDn,
        Instant notBefore,
        Instant notAfter,
        KeyHash keyHash,
        Der der) {}
