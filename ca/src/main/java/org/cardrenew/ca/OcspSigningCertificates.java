package org.cardrenew.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** The profile of the delegated OCSP signing certificate (RFC 6960 §4.2.2.2). */
final class OcspSigningCertificates {

    private OcspSigningCertificates() {}

    static X509Certificate issue(
            PublicKey key, CaSigner issuing, Instant now, java.time.Duration lifetime, RandomSerials serials)
            throws GeneralSecurityException, IOException {
        // Backdated a minute: a responder on a node whose clock is slightly behind still has a valid signer.
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        Instant notAfter = notBefore.plus(lifetime);
        Instant caNotAfter = issuing.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuing.name(),
                serials.next().value(),
                Date.from(notBefore),
                Date.from(notAfter),
                subject(issuing.certificate().getSubjectX500Principal()),
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        // RFC 6960 §4.2.2.2: the responder certificate MUST carry id-kp-OCSPSigning and be issued by the CA itself.
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
        // RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck — clients trust it for its (short) lifetime without checking it.
        builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
        builder.addExtension(Extension.subjectKeyIdentifier, false, KeyIdentifiers.subjectKeyIdentifier(key));
        builder.addExtension(Extension.authorityKeyIdentifier, false, issuing.authorityKeyIdentifier());
        return issuing.sign(builder);
    }

    /** The issuing CA's name with its CN suffixed " OCSP Responder" (or a CN added when it has none). */
    static X500Name subject(X500Principal issuing) {
        X500Name name = X500Name.getInstance(issuing.getEncoded());
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        boolean hasCn = false;
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(atv.getType())) {
                    hasCn = true;
                    builder.addRDN(BCStyle.CN, IETFUtils.valueToString(atv.getValue()) + " OCSP Responder");
                } else {
                    builder.addRDN(atv);
                }
            }
        }
        if (!hasCn) {
            builder.addRDN(BCStyle.CN, "OCSP Responder");
        }
        return builder.build();
    }
}
