package org.cardrenew.ca;

import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/** The subject names of the root and the issuing CA, used when the CA is first created. */
public record CaSubjects(X500Principal root, X500Principal issuing) {

    public static final CaSubjects DEFAULT =
            of("CN=CardRenew Root CA, O=CardRenew, C=TW", "CN=CardRenew Issuing CA, O=CardRenew, C=TW");

    public CaSubjects {
        Objects.requireNonNull(root, "root CA subject");
        Objects.requireNonNull(issuing, "issuing CA subject");
        if (root.equals(issuing)) {
            // RFC 5280 §6.1: path building relies on names; a shared name makes the issuing CA look self-issued.
            throw new IllegalArgumentException("root and issuing CA need different subject names");
        }
    }

    /** From RFC 4514 strings such as {@code CN=Agency Issuing CA, O=Agency, C=TW}. */
    public static CaSubjects of(String root, String issuing) {
        return new CaSubjects(new X500Principal(root), new X500Principal(issuing));
    }
}
