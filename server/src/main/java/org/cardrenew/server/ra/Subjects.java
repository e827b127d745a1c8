package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.cardrenew.protocol.Subject;

/** Holder subjects: C=TW, O=organisation, CN=name, SERIALNUMBER=holder id. */
final class Subjects {

    private Subjects() {}

    /** The subject of a new card; BCStyle encodes C and SERIALNUMBER as PrintableString, O and CN as UTF8String. */
    static X500Principal holder(String organization, String name, String holderId) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "TW")
                .addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, name)
                .addRDN(BCStyle.SERIALNUMBER, holderId)
                .build();
        try {
            return new X500Principal(subject.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a built name always encodes", e);
        }
    }

    /** RFC 4514 text with SERIALNUMBER by name (the JDK would print 2.5.4.5=#hex). */
    static String text(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253, Map.of("2.5.4.5", "SERIALNUMBER"));
    }

    /**
     * Reads every value of the name as {@link #of} would: BouncyCastle refuses an odd-length BMPString when it parses
     * the name and invalid UTF-8 only when the UTF8String is read, where the JDK reads both leniently.
     *
     * @throws IllegalArgumentException for a value BouncyCastle cannot read
     */
    static void requireReadable(X500Principal principal) {
        for (RDN rdn : X500Name.getInstance(principal.getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                IETFUtils.valueToString(value.getValue());
            }
        }
    }

    static Subject of(X509Certificate certificate) {
        X500Principal principal = certificate.getSubjectX500Principal();
        X500Name name = X500Name.getInstance(principal.getEncoded());
        return new Subject(
                first(name, BCStyle.C),
                first(name, BCStyle.O),
                first(name, BCStyle.CN),
                first(name, BCStyle.SERIALNUMBER),
                text(principal));
    }

    private static String first(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length == 0) {
            return null;
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value);
    }
}
