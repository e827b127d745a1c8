package org.cardrenew.server.ra;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Certificate;
import org.cardrenew.protocol.ErrorCode;

/** X.509 certificates in and out of DER. */
public final class DerCertificates {

    private DerCertificates() {}

    /** Parses a certificate a client sent (base64 DER). */
    static X509Certificate parseBase64(String base64) {
        return parse(Base64Field.decode(base64, ErrorCode.CERTIFICATE_MALFORMED, "certificate"));
    }

    static X509Certificate parse(byte[] der) {
        try {
            X509Certificate certificate = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            // The JDK reads the strings of a name leniently (an odd-length BMPString, invalid UTF-8), BouncyCastle,
            // which reads the names for the holder's page (Subjects), does not: such a name is not DER (X.690 §8.23),
            // so neither is the certificate. A self-made certificate with one, whose key signed a status challenge,
            // was answered HTTP 500 (the BMPString found extending RaRequestFieldsFuzzTest to the subject
            // StatusService shows, the UTF-8 by fuzzing it then).
            Subjects.requireReadable(certificate.getSubjectX500Principal());
            Subjects.requireReadable(certificate.getIssuerX500Principal());
            return certificate;
        } catch (CertificateException | RuntimeException e) {
            throw new RaException(ErrorCode.CERTIFICATE_MALFORMED, "not a DER X.509 certificate: " + e.getMessage());
        }
    }

    /**
     * The subject of a certificate this CA issued, exactly as encoded, without the JDK's parse of the whole
     * certificate (its key, its extensions, both names checked): all a renewal needs of the old encryption
     * certificate (issue 14).
     */
    static X500Principal subjectOf(byte[] der) {
        try {
            return new X500Principal(Certificate.getInstance(der).getSubject().getEncoded());
        } catch (IOException | RuntimeException e) {
            throw new RaException(ErrorCode.CERTIFICATE_MALFORMED, "not a DER X.509 certificate: " + e.getMessage());
        }
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate always re-encodes", e);
        }
    }

    static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
