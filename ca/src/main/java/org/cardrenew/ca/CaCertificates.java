package org.cardrenew.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/** The two CA certificates of the hierarchy: a self-signed root and the issuing CA it certifies. */
final class CaCertificates {

    private CaCertificates() {}

    /** A self-signed root: basicConstraints CA:true (no path length limit), keyCertSign + cRLSign. */
    static X509Certificate root(
            KeyPair keys,
            CaKeyType type,
            Provider provider,
            X500Principal subject,
            Instant now,
            CaLifetimes lifetimes,
            RandomSerials serials)
            throws GeneralSecurityException, IOException {
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        X500Name name = X500Name.getInstance(subject.getEncoded());
        SubjectKeyIdentifier ski = KeyIdentifiers.subjectKeyIdentifier(keys.getPublic());
        X509v3CertificateBuilder builder = caBuilder(
                name,
                serials.next().value(),
                notBefore,
                notBefore.plus(lifetimes.root()),
                name,
                keys.getPublic(),
                new BasicConstraints(true),
                ski,
                new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
        X509Certificate root = new JcaX509CertificateConverter()
                .getCertificate(builder.build(CaSigner.contentSigner(keys.getPrivate(), type, provider)));
        root.verify(keys.getPublic());
        return root;
    }

    /**
     * The issuing CA, signed by the root: basicConstraints CA:true with pathLenConstraint 0 (RFC 5280 §4.2.1.9: it
     * issues end-entity certificates only), keyCertSign + cRLSign. It never outlives the root.
     */
    static X509Certificate issuing(
            PublicKey key,
            X500Principal subject,
            CaSigner root,
            Instant now,
            CaLifetimes lifetimes,
            RandomSerials serials)
            throws GeneralSecurityException, IOException {
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(lifetimes.issuing());
        Instant rootNotAfter = root.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(rootNotAfter)) {
            notAfter = rootNotAfter;
        }
        X509v3CertificateBuilder builder = caBuilder(
                root.name(),
                serials.next().value(),
                notBefore,
                notAfter,
                X500Name.getInstance(subject.getEncoded()),
                key,
                new BasicConstraints(0),
                KeyIdentifiers.subjectKeyIdentifier(key),
                root.authorityKeyIdentifier());
        return root.sign(builder);
    }

    private static X509v3CertificateBuilder caBuilder(
            X500Name issuer,
            BigInteger serial,
            Instant notBefore,
            Instant notAfter,
            X500Name subject,
            PublicKey key,
            BasicConstraints constraints,
            SubjectKeyIdentifier ski,
            AuthorityKeyIdentifier aki)
            throws IOException {
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuer,
                serial,
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        // RFC 5280 §4.2.1.9 and §4.2.1.3: both MUST be critical in CA certificates.
        builder.addExtension(Extension.basicConstraints, true, constraints);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ski);
        builder.addExtension(Extension.authorityKeyIdentifier, false, aki);
        return builder;
    }
}
