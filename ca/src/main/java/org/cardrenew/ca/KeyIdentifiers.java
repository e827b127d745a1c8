package org.cardrenew.ca;

import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Key identifiers by RFC 5280 §4.2.1.2 method (1): the SHA-1 hash of the subjectPublicKey BIT STRING. */
final class KeyIdentifiers {

    private KeyIdentifiers() {}

    static SubjectKeyIdentifier subjectKeyIdentifier(PublicKey key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
