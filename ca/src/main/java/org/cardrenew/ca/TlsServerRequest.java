package org.cardrenew.ca;

import java.net.InetAddress;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A TLS server certificate for the server itself: the names clients connect to (RFC 6125), at least one.
 *
 * @param dnsNames    subjectAltName dNSName entries, e.g. {@code localhost}, {@code renew.example.gov.tw}
 * @param ipAddresses subjectAltName iPAddress entries, e.g. 127.0.0.1
 */
public record TlsServerRequest(
        PublicKey publicKey,
        List<String> dnsNames,
        List<InetAddress> ipAddresses,
        Instant notBefore,
        Instant notAfter) {

    public TlsServerRequest {
        Objects.requireNonNull(publicKey, "public key");
        dnsNames = List.copyOf(dnsNames == null ? List.of() : dnsNames);
        ipAddresses = List.copyOf(ipAddresses == null ? List.of() : ipAddresses);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a TLS server certificate needs at least one DNS name or IP address");
        }
        for (String name : dnsNames) {
            if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9*.-]+")) {
                throw new IllegalArgumentException("not a DNS name (use punycode for IDNs): " + name);
            }
        }
    }
}
