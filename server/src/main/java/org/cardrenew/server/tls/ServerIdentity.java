package org.cardrenew.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server's own key and certificate chain (own certificate first): HTTPS, and the protection of CMP responses
 * (RFC 4210 §5.1.3.3: a signature whose certificate is the first of extraCerts).
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {

    public ServerIdentity {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }
}
