package org.cardrenew.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The issuing CA as the RA sees it. The RA depends on this contract only, so a remote CA
 * (for example over CMP) can replace the embedded one without touching the RA.
 */
public interface CertificateAuthority {

    /** The CA certificates, issuing CA first, root last. */
    List<X509Certificate> chain();

    /**
     * Issues one holder certificate.
     *
     * @throws IssuanceException with {@link IssuanceException.Reason#KEY_TYPE_UNSUPPORTED} for a key outside
     *     {@link HolderKeyPolicy}, {@code VALIDITY_INVALID} for an empty or inverted period, {@code CA_UNAVAILABLE}
     *     when the CA key cannot be used (HSM gone, wrong PIN)
     */
    IssuedCertificate issue(IssuanceRequest request) throws IssuanceException;

    /** Whether this CA's issuing key signed the certificate (signature and issuer name both match). */
    boolean isIssuerOf(X509Certificate certificate);
}
