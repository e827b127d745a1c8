package org.cardrenew.ca;

import java.security.cert.X509CRL;

/**
 * Signs the issuing CA's CRL. Separate from {@link CertificateAuthority} so the RA's contract stays as it is and a
 * remote CA can offer CRL signing or not.
 */
public interface CrlIssuer {

    /**
     * A complete CRL (RFC 5280 §5) for the issuing CA, signed by the issuing CA key: version 2, cRLNumber and
     * authorityKeyIdentifier, one entry per revoked certificate with its reasonCode.
     *
     * @throws IssuanceException with {@code CA_UNAVAILABLE} when the CA key cannot sign
     */
    X509CRL issueCrl(CrlContent content) throws IssuanceException;
}
