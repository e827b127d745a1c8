package org.cardrenew.ca;

import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** The holder certificate profiles (signing, encryption) as RFC 5280 extensions. */
final class HolderCertificateTemplate {

    /**
     * cRLDistributionPoints and authorityInfoAccess, the same in every certificate of this CA: encoded once, not per
     * certificate (issue 14: building them, URIs and all, was about 2 % of a renewal's request-thread samples).
     */
    private final List<Extension> publication;

    HolderCertificateTemplate(PublicationUrls urls) {
        List<Extension> extensions = new ArrayList<>();
        try {
            if (urls.crlDistributionPoint() != null) {
                extensions.add(Extension.create(
                        Extension.cRLDistributionPoints, false, crlDistributionPoints(urls.crlDistributionPoint())));
            }
            AuthorityInformationAccess aia = authorityInformationAccess(urls);
            if (aia != null) {
                extensions.add(Extension.create(Extension.authorityInfoAccess, false, aia));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the publication URLs cannot be encoded: " + e.getMessage(), e);
        }
        this.publication = List.copyOf(extensions);
    }

    /**
     * A v3 holder certificate, ready to sign. The subject is the request's encoded name as it is (RFC 7030 §4.2.2:
     * a renewed certificate keeps the subject byte for byte); the validity is the request's, already truncated to
     * whole seconds by the caller.
     */
    X509v3CertificateBuilder builder(
            IssuanceRequest request, SerialNumber serial, Instant notBefore, Instant notAfter, CaSigner issuer)
            throws IOException {
        PublicKey key = request.publicKey();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuer.name(),
                serial.value(),
                CertificateTime.of(notBefore),
                CertificateTime.of(notAfter),
                X500Name.getInstance(request.subject().getEncoded()),
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        // RFC 5280 §4.2.1.9: an end entity; marked critical so no relying party mistakes it for a CA.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectKeyIdentifier, false, KeyIdentifiers.subjectKeyIdentifier(key));
        builder.addExtension(Extension.authorityKeyIdentifier, false, issuer.authorityKeyIdentifier());
        // RFC 5280 §4.2.1.3: keyUsage SHOULD be critical; our relying parties must not use a key outside its profile.
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(request.profile(), key)));
        addPublicationExtensions(builder);
        return builder;
    }

    /** cRLDistributionPoints and authorityInfoAccess, where configured: every certificate of this CA carries them. */
    void addPublicationExtensions(X509v3CertificateBuilder builder) throws IOException {
        for (Extension extension : publication) {
            builder.addExtension(extension);
        }
    }

    static int keyUsage(CertificateProfile profile, PublicKey key) {
        if (profile == CertificateProfile.SIGNING) {
            return KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
        }
        // RFC 5480 §3: for id-ecPublicKey keyEncipherment and dataEncipherment MUST NOT be asserted; an EC
        // encryption key is used through key agreement (ECDH), so keyAgreement is the bit that fits.
        if (isEc(key)) {
            return KeyUsage.keyAgreement;
        }
        return KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
    }

    private static boolean isEc(PublicKey key) {
        return X9ObjectIdentifiers.id_ecPublicKey.equals(SubjectPublicKeyInfo.getInstance(key.getEncoded())
                .getAlgorithm()
                .getAlgorithm());
    }

    /** RFC 5280 §4.2.1.13: one distribution point naming the CRL by URI; no reasons, the CA issues the CRL. */
    private static CRLDistPoint crlDistributionPoints(URI crl) {
        GeneralNames fullName = new GeneralNames(uri(crl));
        DistributionPoint point =
                new DistributionPoint(new DistributionPointName(DistributionPointName.FULL_NAME, fullName), null, null);
        return new CRLDistPoint(new DistributionPoint[] {point});
    }

    /** RFC 5280 §4.2.2.1: where to ask OCSP (id-ad-ocsp) and where the issuing CA certificate is (id-ad-caIssuers). */
    private static AuthorityInformationAccess authorityInformationAccess(PublicationUrls urls) {
        List<AccessDescription> descriptions = new ArrayList<>();
        if (urls.ocsp() != null) {
            descriptions.add(new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp, uri(urls.ocsp())));
        }
        if (urls.caIssuers() != null) {
            descriptions.add(new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers, uri(urls.caIssuers())));
        }
        return descriptions.isEmpty()
                ? null
                : new AuthorityInformationAccess(descriptions.toArray(AccessDescription[]::new));
    }

    private static GeneralName uri(URI uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri.toASCIIString());
    }
}
