package org.cardrenew.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certificate the CA has just signed: its encoding as signed and the fields a caller stores with it, from the
 * structure the CA built and the validity it encoded. The JDK's {@link X509Certificate} is parsed from the encoding only when {@link #certificate}
 * is asked for: a renewal stores and answers the encoding, and parsing each certificate back to read those fields
 * cost 20–30 µs of CPU per certificate (issue 14, docs/BENCHMARKS.md, session 9).
 */
public final class IssuedCertificate {

    private final byte[] der;
    private final SerialNumber serial;
    private final X500Principal subject;
    private final Instant notBefore;
    private final Instant notAfter;
    private final byte[] subjectPublicKeyInfo;
    private volatile X509Certificate certificate;

    /** A certificate already parsed (a test's CA, or a caller that had the JDK's form anyway). */
    public IssuedCertificate(X509Certificate certificate, SerialNumber serial) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.serial = Objects.requireNonNull(serial, "serial");
        try {
            this.der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate does not encode", e);
        }
        this.subject = certificate.getSubjectX500Principal();
        this.notBefore = certificate.getNotBefore().toInstant();
        this.notAfter = certificate.getNotAfter().toInstant();
        this.subjectPublicKeyInfo = certificate.getPublicKey().getEncoded();
    }

    /**
     * A certificate the CA signed for this validity: {@code notBefore} and {@code notAfter} are the whole seconds
     * the builder encoded ({@link CertificateTime}), taken as they are instead of read back through BouncyCastle's
     * date parsing ({@code SimpleDateFormat}, per call).
     */
    IssuedCertificate(X509CertificateHolder signed, SerialNumber serial, Instant notBefore, Instant notAfter)
            throws IOException {
        this.der = signed.getEncoded();
        this.serial = serial;
        this.subject = new X500Principal(signed.getSubject().getEncoded());
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.subjectPublicKeyInfo = signed.getSubjectPublicKeyInfo().getEncoded();
    }

    /** The certificate's DER encoding, exactly as signed. */
    public byte[] der() {
        return der.clone();
    }

    public SerialNumber serial() {
        return serial;
    }

    public X500Principal subject() {
        return subject;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The certified key as the certificate encodes it (DER SubjectPublicKeyInfo). */
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /** The certificate in the JDK's form, parsed from {@link #der} on the first call. */
    public X509Certificate certificate() {
        X509Certificate parsed = certificate;
        if (parsed == null) {
            try {
                parsed = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            } catch (CertificateException e) {
                throw new IllegalStateException("a certificate this CA signed does not parse", e);
            }
            certificate = parsed;
        }
        return parsed;
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + serial + ", " + subject.getName() + "]";
    }
}
