package org.cardrenew.agent.renewal;

import java.util.List;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;

/**
 * The holder's own handling of the card's decryption history (old encryption keys kept by renewals): list
 * it, and remove one old key on purpose, chosen by its certificate's serial — the way to make room on a
 * full card. Only history can be removed here, never a current key; the card must be logged in.
 */
public final class DecryptionKeys {

    private DecryptionKeys() {}

    /** The old encryption certificates the card keeps, oldest first. */
    public static List<CardEntry> list(Card card) throws CardException {
        return card.read().history();
    }

    /**
     * Deletes the old encryption key and certificate of this serial (hex, as listed).
     *
     * @throws RenewalException {@code NO_SUCH_HISTORY_KEY} when the card keeps no history entry of that serial
     */
    public static CardEntry remove(Card card, String serialHex) throws CardException, RenewalException {
        CardEntry entry = card.read()
                .historyEntry(serialHex)
                .orElseThrow(() -> new RenewalException(
                        RenewalException.Reason.NO_SUCH_HISTORY_KEY,
                        "the card keeps no old decryption key with serial " + serialHex));
        card.delete(entry.id());
        return entry;
    }
}
