package org.cardrenew.server.testsupport;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Another CA, with the same names as ours: what an impostor (or another agency) would present. */
public final class ForeignCa {

    private ForeignCa() {}

    /** A certificate for the key with the given subject, issued in the name of our issuing CA by a foreign key. */
    public static X509Certificate issue(
            X500Principal issuer, X500Principal subject, PublicKey key, Instant notBefore, Instant notAfter) {
        try {
            KeyPair foreign = Keys.p256();
            return new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    issuer,
                                    BigInteger.valueOf(System.nanoTime()),
                                    Date.from(notBefore),
                                    Date.from(notAfter),
                                    subject,
                                    key)
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(foreign.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
