package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.testsupport.Keys;
import org.junit.jupiter.api.Test;

class DerCertificatesTest {

    /** A name with a UTF8String in Chinese, a PrintableString and a multi-valued RDN: the bytes must survive as sent. */
    private static final X500Name SUBJECT = X500Name.getInstance(new DERSequence(new ASN1Encodable[] {
        rdn(BCStyle.C, new DERPrintableString("TW")),
        rdn(BCStyle.O, new DERUTF8String("行政院人事行政總處")),
        new DERSet(new ASN1Encodable[] {
            new DERSequence(new ASN1Encodable[] {BCStyle.CN, new DERUTF8String("王小明")}),
            new DERSequence(new ASN1Encodable[] {BCStyle.SERIALNUMBER, new DERPrintableString("A123456789")})
        })
    }));

    @Test
    void theSubjectOfAStoredCertificateIsTheBytesTheJdkReads() throws Exception {
        byte[] der = certificate(SUBJECT).getEncoded();

        X500Principal subject = DerCertificates.subjectOf(der);

        X509Certificate parsed = DerCertificates.parse(der);
        assertThat(subject.getEncoded())
                .isEqualTo(parsed.getSubjectX500Principal().getEncoded());
        assertThat(subject).isEqualTo(parsed.getSubjectX500Principal());
    }

    @Test
    void aStoredCertificateThatIsNotDerIsRefusedAsMalformed() throws Exception {
        byte[] der = certificate(SUBJECT).getEncoded();

        RaException refused = catchThrowableOfType(
                RaException.class, () -> DerCertificates.subjectOf(Arrays.copyOf(der, der.length / 2)));

        assertThat(refused.code()).isEqualTo(ErrorCode.CERTIFICATE_MALFORMED);
    }

    private static ASN1Encodable rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new DERSet(new DERSequence(new ASN1Encodable[] {type, value}));
    }

    private static X509Certificate certificate(X500Name subject) throws Exception {
        KeyPair key = Keys.p256();
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                new X500Name("CN=Test CA, C=TW"),
                                BigInteger.valueOf(42),
                                Date.from(now),
                                Date.from(now.plus(365, ChronoUnit.DAYS)),
                                subject,
                                key.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }
}
