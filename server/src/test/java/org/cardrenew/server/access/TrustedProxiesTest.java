package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client address behind reverse proxies: X-Forwarded-For only from configured trusted proxies. */
class TrustedProxiesTest {

    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "direct client, header ignored     | 198.51.100.9 | 203.0.113.5             | 198.51.100.9",
                "trusted proxy, one hop            | 10.1.2.3     | 203.0.113.5             | 203.0.113.5",
                "trusted proxy, no header          | 10.1.2.3     | null                    | 10.1.2.3",
                "forged left part ignored          | 10.1.2.3     | 1.1.1.1, 203.0.113.5    | 203.0.113.5",
                "two trusted proxies skipped       | 10.1.2.3     | 203.0.113.5, 10.9.9.9   | 203.0.113.5",
                "single trusted address            | 192.0.2.7    | 203.0.113.6             | 203.0.113.6",
                "neighbour of single address       | 192.0.2.8    | 203.0.113.6             | 192.0.2.8",
                "IPv6 proxy                        | 2001:db8::1  | 2001:db8:ffff::1, 2001:db9::5 | 2001:db9::5",
                "garbage hop falls back to proxy   | 10.1.2.3     | evil.example            | 10.1.2.3",
                "all hops trusted: leftmost        | 10.1.2.3     | 10.2.2.2                | 10.2.2.2"
            })
    void clientAddress(String name, String peer, String forwardedFor, String expected) {
        assertThat(proxies.clientAddress(peer, forwardedFor)).isEqualTo(expected);
    }

    @Test
    void aMistypedProxyIsRefusedAtStart() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.example")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
