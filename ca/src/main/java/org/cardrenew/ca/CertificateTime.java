package org.cardrenew.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate's validity time (RFC 5280 §4.1.2.5): UTCTime {@code YYMMDDHHMMSSZ} through 2049, GeneralizedTime
 * {@code YYYYMMDDHHMMSSZ} from 2050, in whole seconds, as BouncyCastle's {@code Time(Date)} encodes it; formatted
 * through {@code java.time} instead of the {@code SimpleDateFormat} that constructor creates per call (issue 14,
 * session 10: two per certificate, about 1.5 % of the server's samples in a renewal).
 */
final class CertificateTime {

    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private CertificateTime() {}

    /** The time, which must be whole seconds, in the form RFC 5280 requires for its year. */
    static Time of(Instant at) {
        if (at.getNano() != 0) {
            throw new IllegalArgumentException("a certificate time is whole seconds: " + at);
        }
        int year = ZonedDateTime.ofInstant(at, ZoneOffset.UTC).getYear();
        boolean utcTime = year >= 1950 && year <= 2049;
        byte[] text = (utcTime ? UTC_TIME : GENERALIZED_TIME).format(at).getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[2 + text.length];
        der[0] = (byte) (utcTime ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        try {
            // BouncyCastle checks the form of the bytes it reads (ASN1TimeFormat), without parsing a date.
            return Time.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new IllegalStateException("a formatted time always reads back", e);
        }
    }
}
