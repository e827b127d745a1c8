package org.cardrenew.agent.card;

/**
 * Another CardRenew process (the browser's card component, another {@code cardrenew}) has this card open. Nothing
 * was done on the card; the holder runs the command again once the other program is done.
 */
public final class CardBusyException extends CardException {

    public CardBusyException(String message) {
        super(message, null);
    }
}
