package org.cardrenew.agent.bridge;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.cardrenew.agent.card.PinStatus;
import org.cardrenew.agent.report.CertificateReport;

/**
 * A card as {@code GET /v1/tokens} lists it, read without the PIN. A card in use by another operation shows only
 * its label and {@code busy}; a card that cannot be read, its label and {@code error}.
 *
 * @param decryptionHistory the old encryption certificates whose keys the card keeps
 * @param unfinishedRenewal new keys or certificates of an interrupted renewal are on the card
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenReport(
        String label,
        Boolean busy,
        PinStatus pin,
        List<CertificateReport> certificates,
        List<CertificateReport> decryptionHistory,
        Boolean unfinishedRenewal,
        BridgeError error) {

    static TokenReport busy(String label) {
        return new TokenReport(label, true, null, null, null, null, null);
    }

    static TokenReport failed(String label, BridgeError error) {
        return new TokenReport(label, null, null, null, null, null, error);
    }
}
