package org.cardrenew.server.access;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The client address of a request: the peer address, unless the peer is a configured trusted proxy
 * ({@code cardrenew.security.trusted-proxies}, CIDR list); then X-Forwarded-For is read from the right, skipping
 * trusted proxies, and the first untrusted address is the client. Addresses left of it were written by the client
 * and are ignored (they can be forged).
 */
public final class TrustedProxies {

    private record Cidr(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Cidr> proxies;

    public TrustedProxies(List<String> cidrs) {
        this.proxies = cidrs.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(TrustedProxies::parse)
                .toList();
    }

    public String clientAddress(String peer, String forwardedFor) {
        if (peer == null || !trusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!literal(hop) || !trusted(hop)) {
                return literal(hop) ? hop : peer;
            }
        }
        return hops[0].trim();
    }

    private boolean trusted(String address) {
        byte[] bytes = bytes(address);
        return bytes != null && proxies.stream().anyMatch(c -> c.contains(bytes));
    }

    private static boolean literal(String address) {
        return bytes(address) != null;
    }

    /** Only IP literals: never a DNS lookup for a header value. */
    private static byte[] bytes(String address) {
        if (address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] network = bytes(host);
        if (network == null) {
            throw new IllegalArgumentException(
                    "cardrenew.security.trusted-proxies: not an IP address or CIDR: " + cidr);
        }
        int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("cardrenew.security.trusted-proxies: bad prefix length: " + cidr);
        }
        return new Cidr(network, prefix);
    }
}
