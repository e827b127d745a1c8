package org.cardrenew.ca;

import java.net.URI;

/**
 * URLs written into holder certificates; each may be null, and then its extension is left out.
 *
 * @param crlDistributionPoint RFC 5280 §4.2.1.13 cRLDistributionPoints fullName
 * @param ocsp RFC 5280 §4.2.2.1 authorityInfoAccess id-ad-ocsp
 * @param caIssuers RFC 5280 §4.2.2.1 authorityInfoAccess id-ad-caIssuers (where the issuing CA certificate is)
 */
public record PublicationUrls(URI crlDistributionPoint, URI ocsp, URI caIssuers) {

    public static final PublicationUrls NONE = new PublicationUrls(null, null, null);

    public PublicationUrls {
        requireAbsolute(crlDistributionPoint, "CRL distribution point");
        requireAbsolute(ocsp, "OCSP");
        requireAbsolute(caIssuers, "CA issuers");
    }

    /** From configuration strings; a null or blank string leaves its extension out. */
    public static PublicationUrls of(String crlDistributionPoint, String ocsp, String caIssuers) {
        return new PublicationUrls(uri(crlDistributionPoint), uri(ocsp), uri(caIssuers));
    }

    private static URI uri(String text) {
        return text == null || text.isBlank() ? null : URI.create(text.strip());
    }

    /** RFC 5280 §4.2.1.13 and §4.2.2.1 name a location by an absolute URI that relying parties can fetch. */
    private static void requireAbsolute(URI uri, String what) {
        if (uri != null && (!uri.isAbsolute() || uri.getHost() == null)) {
            throw new IllegalArgumentException(what + " URL must be absolute, e.g. http://pki.example.org/...: " + uri);
        }
    }
}
