package org.cardrenew.server.ra;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
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
