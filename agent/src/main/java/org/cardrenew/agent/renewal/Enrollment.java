package org.cardrenew.agent.renewal;

import java.io.IOException;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The holder data of an admin enrollment (a new card).
 *
 * @param notBefore explicit validity start, or null for the server's policy
 * @param notAfter  explicit validity end, or null for the server's policy
 */
public record Enrollment(
        String holderId,
        String name,
        String organization,
        String email,
        String language,
        Instant notBefore,
        Instant notAfter) {

    /** C=TW, O=organization, CN=name, SERIALNUMBER=holderId: the subject of holder certificates. */
    public X500Principal subject() {
        try {
            return new X500Principal(new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "TW")
                    .addRDN(BCStyle.O, organization)
                    .addRDN(BCStyle.CN, name)
                    .addRDN(BCStyle.SERIALNUMBER, holderId)
                    .build()
                    .getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a subject", e);
        }
    }
}
