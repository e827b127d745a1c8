package org.cardrenew.server.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Certificates anyone can make for their own key, written DER byte by byte so that they can carry what a certificate
 * builder refuses to write.
 */
public final class SelfMadeCertificates {

    /** A BMPString of three octets (X.690 §8.23.8 takes two a character): BouncyCastle refuses it when it parses. */
    public static final String ODD_LENGTH_BMP_STRING = "1e03006100";

    /** A UTF8String that is not UTF-8 (C3 28): BouncyCastle refuses it when the string is read. */
    public static final String INVALID_UTF8_STRING = "0c02c328";

    /** ecdsa-with-SHA256 (RFC 5758 §3.2), without parameters. */
    private static final String ECDSA_WITH_SHA256 = "300a06082a8648ce3d040302";

    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfMadeCertificates() {}

    /**
     * Signed by its own P-256 key, subject and issuer a {@code CN} whose value is {@code valueDer} (hex of one DER
     * element): the JDK reads both values above, BouncyCastle does not.
     */
    public static X509Certificate withCommonName(KeyPair p256, String valueDer, Instant notBefore, Instant notAfter) {
        try {
            // Name ::= SEQUENCE OF SET OF SEQUENCE { 2.5.4.3 (CN), value }
            byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, hex("0603550403"), hex(valueDer))));
            byte[] validity = tlv(
                    0x30,
                    tlv(0x17, UTC_TIME.format(notBefore).getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x17, UTC_TIME.format(notAfter).getBytes(StandardCharsets.US_ASCII)));
            byte[] tbs = tlv(
                    0x30,
                    tlv(0xa0, hex("020102")),
                    hex("020101"),
                    hex(ECDSA_WITH_SHA256),
                    name,
                    validity,
                    name,
                    p256.getPublic().getEncoded());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(p256.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // no unused bits
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] der = tlv(0x30, tbs, hex(ECDSA_WITH_SHA256), tlv(0x03, bits));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** One DER element: tag, definite length, contents. */
    private static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : contents) {
            body.writeBytes(part);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
