package org.cardrenew.ca;

/** Issues TLS server certificates for CardRenew's own endpoints (HTTPS, EST with client certificates). */
public interface TlsServerCertificateIssuer {

    /**
     * A certificate with extendedKeyUsage serverAuth and the request's names as subjectAltName (RFC 5280
     * §4.2.1.6; the CN repeats the first name for old clients), signed by the issuing CA.
     *
     * @throws IssuanceException {@code KEY_TYPE_UNSUPPORTED}, {@code VALIDITY_INVALID} or {@code CA_UNAVAILABLE}
     */
    IssuedCertificate issueTlsServer(TlsServerRequest request) throws IssuanceException;
}
