package org.cardrenew.server.access;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.springframework.web.util.UriUtils;

/**
 * Which abuse limit a request falls under, decided on the path as the application routes it, not as spelled: each
 * segment percent-decoded with its matrix parameters ({@code ;x=y}) removed, empty and {@code .} segments dropped,
 * {@code ..} applied, then lower-cased and without a trailing slash. So {@code /api/v1/challeng%65s},
 * {@code //api/v1/challenges/} and {@code /API/v1/status;x=1} count where {@code /api/v1/challenges} and
 * {@code /api/v1/status} count, whether or not Spring MVC or the firewall would then route or refuse them.
 */
enum LimitedPath {
    /** Card-facing endpoints: challenges, status, renewals, CMP and EST. */
    CARD,
    /** Console sign-ins: the password form and the card sign-in. */
    SIGN_IN,
    /** What relying parties fetch: OCSP, CRL, renewal information and the CA certificates. */
    REVOCATION,
    /** Not limited: pages, static files, the admin API (token), actuator. */
    NONE;

    static LimitedPath of(HttpServletRequest request) {
        String path = canonical(
                request.getRequestURI().substring(request.getContextPath().length()));
        if (path.equals("/console/login") || path.equals("/console/card-sign-in")) {
            return "POST".equalsIgnoreCase(request.getMethod()) ? SIGN_IN : NONE;
        }
        if (under(path, "/api/v1/challenges")
                || under(path, "/api/v1/status")
                || under(path, "/api/v1/renewals")
                || under(path, "/.well-known/cmp")
                || under(path, "/.well-known/est")) {
            return CARD;
        }
        if (under(path, "/ocsp")
                || under(path, "/crl")
                || under(path, "/api/v1/renewal-info")
                || under(path, "/api/v1/ca")) {
            return REVOCATION;
        }
        return NONE;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The routed form of a raw request path (see the type's description). */
    static String canonical(String raw) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/")) {
            int matrix = segment.indexOf(';');
            String name = decode(matrix < 0 ? segment : segment.substring(0, matrix));
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                segments.pollLast();
            } else {
                segments.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return "/" + String.join("/", segments);
    }

    private static String decode(String segment) {
        try {
            return UriUtils.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return segment; // Tomcat refuses it with 400 anyway
        }
    }
}
