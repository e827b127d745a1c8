package org.cardrenew.agent.report;

import java.util.List;
import org.cardrenew.agent.card.CardEntry;

/**
 * The old decryption keys on the card, oldest first, and the one just removed (null when the holder only listed
 * them): the bridge's {@code /v1/history/remove} and {@code cardrenew history list|remove --json}.
 */
public record HistoryReport(CertificateReport removed, List<CertificateReport> decryptionHistory) {

    public static HistoryReport of(CardEntry removed, List<CardEntry> history) {
        return new HistoryReport(removed == null ? null : CertificateReport.of(removed), list(history));
    }

    public static List<CertificateReport> list(List<CardEntry> history) {
        return history.stream().map(CertificateReport::of).toList();
    }
}
