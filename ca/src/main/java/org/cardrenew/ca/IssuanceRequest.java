package org.cardrenew.ca;

import java.security.PublicKey;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;

/** What the RA asks the CA to certify, after its own policy checks. */
public record IssuanceRequest(
        X500Principal subject, PublicKey publicKey, CertificateProfile profile, Instant notBefore, Instant notAfter) {}
