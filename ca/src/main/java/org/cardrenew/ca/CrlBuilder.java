package org.cardrenew.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;

/** Builds and signs the issuing CA's CRL (RFC 5280 §5). */
final class CrlBuilder {

    private CrlBuilder() {}

    static X509CRL sign(CrlContent content, CaSigner issuer) throws IssuanceException {
        try {
            // RFC 5280 §5.1.2.4/§5.1.2.5: UTCTime/GeneralizedTime carry whole seconds.
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    issuer.name(), Date.from(content.thisUpdate().truncatedTo(ChronoUnit.SECONDS)));
            builder.setNextUpdate(Date.from(content.nextUpdate().truncatedTo(ChronoUnit.SECONDS)));
            // RFC 5280 §5.2.1 and §5.2.3: conforming CAs MUST include both, non-critical.
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuer.authorityKeyIdentifier());
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(content.number()));
            for (RevokedCertificate entry : content.revoked()) {
                builder.addCRLEntry(
                        entry.serial().value(),
                        Date.from(entry.revokedAt().truncatedTo(ChronoUnit.SECONDS)),
                        entryExtensions(entry));
            }
            X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(issuer.contentSigner()));
            // Same rule as for certificates: a key that does not match the CA certificate fails here.
            crl.verify(issuer.certificate().getPublicKey());
            return crl;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IssuanceException(
                    IssuanceException.Reason.CA_UNAVAILABLE,
                    "the issuing CA key could not sign the CRL: " + e.getMessage(),
                    e);
        }
    }

    /** RFC 5280 §5.3.1: reasonCode unspecified SHOULD be absent; every other reason is written. */
    private static Extensions entryExtensions(RevokedCertificate entry) throws IOException {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        if (entry.reason() != RevocationReason.UNSPECIFIED) {
            extensions.addExtension(
                    Extension.reasonCode, false, CRLReason.lookup(entry.reason().code()));
        }
        return extensions.isEmpty() ? null : extensions.generate();
    }
}
