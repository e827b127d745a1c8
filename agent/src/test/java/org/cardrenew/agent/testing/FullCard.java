package org.cardrenew.agent.testing;

import java.security.cert.X509Certificate;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.CardFullException;
import org.cardrenew.agent.card.CardKey;
import org.cardrenew.agent.card.CardSignature;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.ObjectId;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.agent.card.PinStatus;

/**
 * A real (SoftHSM2) card with room for only a few more new objects: SoftHSM2 never fills up, so this fake
 * answers the next generation or certificate write like a full card does (CKR_DEVICE_MEMORY), without
 * touching the card. Everything else goes to the real card.
 */
public final class FullCard implements Card {

    private static final long CKR_DEVICE_MEMORY = 0x31;

    private final Card card;
    private int room;

    /** @param room how many key generations and certificate writes still succeed */
    public FullCard(Card card, int room) {
        this.card = card;
        this.room = room;
    }

    private void take() throws CardFullException {
        if (room == 0) {
            throw new CardFullException("the card is full", CKR_DEVICE_MEMORY, null);
        }
        room--;
    }

    @Override
    public PendingKey generate(KeyPurpose purpose, KeySpec spec) throws CardException {
        take();
        return card.generate(purpose, spec);
    }

    @Override
    public CardEntry install(PendingKey key, X509Certificate certificate) throws CardException {
        take();
        return card.install(key, certificate);
    }

    @Override
    public String label() {
        return card.label();
    }

    @Override
    public PinStatus pinStatus() throws CardException {
        return card.pinStatus();
    }

    @Override
    public void login(char[] pin) throws CardException {
        card.login(pin);
    }

    @Override
    public void reauthenticate(char[] pin) throws CardException {
        card.reauthenticate(pin);
    }

    @Override
    public CardContents read() throws CardException {
        return card.read();
    }

    @Override
    public CardSignature sign(CardKey key, byte[] data) throws CardException {
        return card.sign(key, data);
    }

    @Override
    public void keepAsHistory(ObjectId id) throws CardException {
        card.keepAsHistory(id);
    }

    @Override
    public void delete(ObjectId id) throws CardException {
        card.delete(id);
    }

    @Override
    public void deletePublicKeys(ObjectId id) throws CardException {
        card.deletePublicKeys(id);
    }

    @Override
    public void close() {
        card.close();
    }
}
