package org.cardrenew.agent.bridge;

import java.nio.file.Path;
import java.util.Arrays;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.renewal.DecryptionKeys;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.agent.report.HistoryReport;

/**
 * {@code POST /v1/history/remove}: the holder removes one old decryption key, chosen on the page by its
 * certificate serial (to make room on a full card). One login, the PIN zeroed, never retried; only history
 * can be removed, never a current key.
 */
final class HistoryRemoval {

    private HistoryRemoval() {}

    /** @return the removed entry and the history left on the card */
    static HistoryReport remove(Path module, String token, char[] pin, String serialHex)
            throws CardException, RenewalException {
        try (Card card = Card.open(module, token)) {
            try {
                card.login(pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
            CardEntry removed = DecryptionKeys.remove(card, serialHex);
            return HistoryReport.of(removed, DecryptionKeys.list(card));
        } finally {
            Arrays.fill(pin, '\0');
        }
    }
}
