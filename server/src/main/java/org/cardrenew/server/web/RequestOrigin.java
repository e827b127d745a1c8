package org.cardrenew.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.server.audit.ClientAddress;

/** The client address recorded in audit events. Behind a proxy, configure server.forward-headers-strategy. */
final class RequestOrigin {

    private RequestOrigin() {}

    static ClientAddress of(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        return address == null ? ClientAddress.UNKNOWN : new ClientAddress(address);
    }

    /** The token of an {@code Authorization: Bearer <token>} header (RFC 6750 §2.1), or null. */
    static String bearer(String authorization) {
        if (authorization == null
                || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
