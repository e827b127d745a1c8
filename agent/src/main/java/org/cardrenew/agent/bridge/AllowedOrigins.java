package org.cardrenew.agent.bridge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The web origins (RFC 6454: scheme, host, port) whose pages may use the bridge: the RA's own origin.
 * Compared in serialised form, with the scheme's default port dropped, so {@code https://a.gov.tw:443}
 * and {@code https://a.gov.tw} are the same origin.
 */
public final class AllowedOrigins {

    private final Set<String> origins;

    private AllowedOrigins(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** @throws IllegalArgumentException naming the first entry that is not an http(s) origin */
    public static AllowedOrigins of(Collection<String> entries) {
        Set<String> origins = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            origins.add(normalise(entry.trim())
                    .orElseThrow(() -> new IllegalArgumentException("not an http(s) origin: " + entry.trim())));
        }
        return new AllowedOrigins(origins);
    }

    /** The serialised origin if the header names an allowed one; empty for "null", garbage, or others. */
    public Optional<String> match(String originHeader) {
        if (originHeader == null) {
            return Optional.empty();
        }
        return normalise(originHeader.trim()).filter(origins::contains);
    }

    public Set<String> all() {
        return origins;
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    static Optional<String> normalise(String origin) {
        try {
            URI uri = new URI(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return Optional.of(
                    scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
