package org.cardrenew.agent.card;

/**
 * Every way a card operation can fail, as a closed set the CLI and the bridge map to distinct outcomes.
 * Messages never contain the PIN.
 */
public abstract sealed class CardException extends Exception
        permits WrongPinException,
                PinLockedException,
                NoTokenException,
                CardFailureException,
                CardFullException,
                KeyUsageIgnoredException,
                CardBusyException {

    protected CardException(String message, Throwable cause) {
        super(message, cause);
    }
}
