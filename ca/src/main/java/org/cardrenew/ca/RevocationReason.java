package org.cardrenew.ca;

import java.util.Arrays;
import java.util.Locale;

/**
 * Why a certificate was revoked: the RFC 5280 §5.3.1 CRLReason codes this CA uses. {@code removeFromCRL} (8) is
 * left out: it only has a meaning in delta CRLs, which this CA does not issue.
 */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    CERTIFICATE_HOLD(6),
    PRIVILEGE_WITHDRAWN(9),
    AA_COMPROMISE(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The CRLReason ENUMERATED value. */
    public int code() {
        return code;
    }

    /** The RFC 5280 name in lower camel case, as openssl prints and the admin API accepts it: {@code keyCompromise}. */
    public String rfcName() {
        StringBuilder name = new StringBuilder();
        for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        // RFC 5280 spells these two with a capital A: cACompromise, aACompromise.
        return switch (this) {
            case CA_COMPROMISE -> "cACompromise";
            case AA_COMPROMISE -> "aACompromise";
            default -> name.toString();
        };
    }

    /** By code; {@link IllegalArgumentException} for 7 (unused), 8 (delta CRLs only) and anything else. */
    public static RevocationReason ofCode(int code) {
        return Arrays.stream(values())
                .filter(r -> r.code == code)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a CRLReason this CA uses: " + code));
    }

    /** By RFC name ({@code keyCompromise}) or enum name ({@code KEY_COMPROMISE}), case-insensitive. */
    public static RevocationReason of(String name) {
        String wanted = name == null ? "" : name.strip();
        return Arrays.stream(values())
                .filter(r -> r.rfcName().equalsIgnoreCase(wanted) || r.name().equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a CRLReason this CA uses: " + name));
    }
}
