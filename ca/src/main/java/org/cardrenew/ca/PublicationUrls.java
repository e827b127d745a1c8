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
}
