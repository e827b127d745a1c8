package org.cardrenew.agent.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.agent.card.KeyPurpose;

/** A software CA for agent tests: issues holder certificates with the CA's two profiles, no server needed. */
public final class TestCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair key;
    private final X509Certificate certificate;

    private TestCa(KeyPair key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    public static TestCa create() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair key = g.generateKeyPair();
            X500Principal name = new X500Principal("CN=CardRenew Test CA, O=CardRenew Tests, C=TW");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.ONE,
                    Date.from(Instant.parse("2020-01-01T00:00:00Z")),
                    Date.from(Instant.parse("2040-01-01T00:00:00Z")),
                    name,
                    key.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
            return new TestCa(key, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** C=TW, O=..., CN=..., SERIALNUMBER=... as the server writes it. */
    public static X500Principal holder(String organization, String name, String holderId) {
        X500Name n = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "TW")
                .addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, name)
                .addRDN(BCStyle.SERIALNUMBER, holderId)
                .build();
        try {
            return new X500Principal(n.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Signing: digitalSignature + nonRepudiation; encryption: keyEncipherment + dataEncipherment (issue 2). */
    public X509Certificate issue(
            PublicKey holderKey, X500Principal subject, KeyPurpose purpose, Instant notBefore, Instant notAfter) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    certificate.getSubjectX500Principal(),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    holderKey);
            int usage = purpose == KeyPurpose.SIGNING
                    ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    : KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
