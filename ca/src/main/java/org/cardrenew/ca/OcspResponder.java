package org.cardrenew.ca;

/**
 * Answers OCSP requests (RFC 6960) for the issuing CA's certificates. Separate from {@link CertificateAuthority}
 * so the RA's contract stays as it is and a remote CA can provide its own responder.
 */
public interface OcspResponder {

    /**
     * The DER OCSPResponse for a DER OCSPRequest. Never throws for bad input: a request that cannot be parsed is
     * answered {@code malformedRequest}, one for another CA {@code unauthorized}, a CA key that cannot sign
     * {@code internalError} (RFC 6960 §2.3).
     */
    byte[] respond(byte[] request, RevocationStatusLookup lookup);
}
