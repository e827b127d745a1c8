package org.cardrenew.server.ari;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.ra.RenewalWindow;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/**
 * The suggested renewal window of a certificate (RFC 9773 §4.2), from the same policy the RA applies: it starts when
 * the RA's renewal window opens and ends halfway to notAfter, leaving the second half as a margin for holders who
 * miss the first reminder. A revoked certificate gets a window in the past ("renew now", §4.2) — for a card that
 * means applying for a new one.
 */
@Component
public class RenewalInformation {

    /** RFC 9773 §4.3: a client SHOULD poll about twice a day at most; 6 hours as Let's Encrypt suggests. */
    static final Duration RETRY_AFTER = Duration.ofHours(6);

    /** The window and when to ask again. */
    public record Answer(Instant start, Instant end, Duration retryAfter) {}

    private final CertificateAuthority ca;
    private final CertificateRepository certificates;
    private final RenewalWindow window;
    private final Clock clock;

    public RenewalInformation(
            CertificateAuthority ca, CertificateRepository certificates, RenewalWindow window, Clock clock) {
        this.ca = ca;
        this.certificates = certificates;
        this.window = window;
        this.clock = clock;
    }

    public Answer of(String certId) {
        String[] parts = certId == null ? new String[0] : certId.split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new RaException(ErrorCode.REQUEST_INVALID, "certId is not keyIdentifier.serial");
        }
        byte[] keyIdentifier;
        byte[] serialBytes;
        try {
            keyIdentifier = Base64.getUrlDecoder().decode(parts[0]);
            serialBytes = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new RaException(ErrorCode.REQUEST_INVALID, "certId is not base64url");
        }
        BigInteger serial = new BigInteger(serialBytes);
        if (!Arrays.equals(keyIdentifier, issuingKeyIdentifier()) || serial.signum() <= 0) {
            throw new RaException(ErrorCode.CERTIFICATE_UNKNOWN, "not a certificate of this CA");
        }
        StoredCertificate stored = certificates
                .findBySerial(serial.toString(16))
                .orElseThrow(() -> new RaException(ErrorCode.CERTIFICATE_UNKNOWN, "no certificate with this serial"));
        Instant now = clock.instant();
        if (stored.revoked()) {
            // RFC 9773 §4.2: a window in the past tells the client to renew immediately.
            return new Answer(now.minus(Duration.ofDays(1)), now.minus(Duration.ofHours(1)), RETRY_AFTER);
        }
        Instant start = window.opensAt(stored.notAfter());
        Instant end = start.plus(Duration.between(start, stored.notAfter()).dividedBy(2));
        return new Answer(start, end, RETRY_AFTER);
    }

    private byte[] issuingKeyIdentifier() {
        X509Certificate issuing = ca.chain().get(0);
        byte[] extension = issuing.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(extension).getOctets())
                .getKeyIdentifier();
    }
}
