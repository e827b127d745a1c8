package org.cardrenew.ca;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** The TLS server certificate profile (RFC 5280, RFC 6125). */
final class TlsServerCertificateTemplate {

    private TlsServerCertificateTemplate() {}

    static X509v3CertificateBuilder builder(
            TlsServerRequest request,
            SerialNumber serial,
            Instant notBefore,
            Instant notAfter,
            CaSigner issuer,
            HolderCertificateTemplate publication)
            throws IOException {
        PublicKey key = request.publicKey();
        String firstName = request.dnsNames().isEmpty()
                ? request.ipAddresses().get(0).getHostAddress()
                : request.dnsNames().get(0);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, firstName)
                .build();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuer.name(),
                serial.value(),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectKeyIdentifier, false, KeyIdentifiers.subjectKeyIdentifier(key));
        builder.addExtension(Extension.authorityKeyIdentifier, false, issuer.authorityKeyIdentifier());
        // digitalSignature for (EC)DHE handshakes; keyEncipherment as well for RSA keys (TLS 1.2 RSA key transport).
        int usage = KeyUsage.digitalSignature
                | (HolderKeyPolicy.describe(key).orElse("").startsWith("rsa") ? KeyUsage.keyEncipherment : 0);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        request.ipAddresses()
                .forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(a.getAddress()))));
        // RFC 5280 §4.2.1.6: the names clients check (RFC 6125 §6.4: the SAN, not the CN).
        builder.addExtension(
                Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        publication.addPublicationExtensions(builder);
        return builder;
    }
}
