package org.cardrenew.server.ra;

import java.util.Base64;
import org.cardrenew.protocol.ErrorCode;

/** Decodes base64 request fields (standard or URL-safe alphabet, whitespace ignored). */
public final class Base64Field {

    private Base64Field() {}

    static byte[] decode(String value, ErrorCode onError, String field) {
        if (value == null || value.isBlank()) {
            throw new RaException(ErrorCode.REQUEST_INVALID, field + " is missing");
        }
        String compact = withoutWhitespace(value);
        try {
            return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(compact)
                    : Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new RaException(onError, field + " is not base64: " + e.getMessage());
        }
    }

    /**
     * The value without the whitespace of regex {@code \\s} (space, tab, line feed, vertical tab, form feed, carriage
     * return): a PEM-style body with line breaks decodes as the same bytes. A scan rather than a regex: this runs for
     * every certificate and CSR the API receives, and almost none has whitespace.
     */
    static String withoutWhitespace(String value) {
        int first = 0;
        while (first < value.length() && !isWhitespace(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            return value;
        }
        StringBuilder compact = new StringBuilder(value.length()).append(value, 0, first);
        for (int i = first + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isWhitespace(c)) {
                compact.append(c);
            }
        }
        return compact.toString();
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /**
     * The DER a certificate field decodes to, exactly as the RA decodes it (the per-certificate rate limit keys on it:
     * one decoder, so no spelling of a certificate gets a bucket of its own); null when the RA would refuse it.
     */
    public static byte[] certificateOrNull(String value) {
        try {
            return decode(value, ErrorCode.CERTIFICATE_MALFORMED, "certificate");
        } catch (RaException unreadable) {
            return null;
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
