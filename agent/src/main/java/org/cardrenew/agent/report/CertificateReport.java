package org.cardrenew.agent.report;

import java.time.Instant;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.KeyPurpose;

/**
 * A certificate on the card (current, or an old decryption key kept as history) as the page and scripts list it.
 *
 * @param serial the serial in lower-case hex, as the holder chooses an old key by it
 */
public record CertificateReport(
        KeyPurpose purpose, String subject, String serial, Instant notBefore, Instant notAfter) {

    public static CertificateReport of(CardEntry entry) {
        return new CertificateReport(
                entry.purpose(),
                entry.certificate().getSubjectX500Principal().getName(),
                entry.certificate().getSerialNumber().toString(16),
                entry.certificate().getNotBefore().toInstant(),
                entry.certificate().getNotAfter().toInstant());
    }
}
