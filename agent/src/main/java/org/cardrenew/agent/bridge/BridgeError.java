package org.cardrenew.agent.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardrenew.agent.card.CardBusyException;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.CardFailureException;
import org.cardrenew.agent.card.CardFullException;
import org.cardrenew.agent.card.KeyUsageIgnoredException;
import org.cardrenew.agent.card.NoTokenException;
import org.cardrenew.agent.card.PinLockedException;
import org.cardrenew.agent.card.WrongPinException;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RaUnreachableException;
import org.cardrenew.protocol.ServerNotTrustedException;

/**
 * A failure as the page gets it: a stable {@code code} the page words in the holder's language, plus the
 * detail it needs (the PIN warning, why no token, the RA's own code and localized message). Never a PIN.
 */
record BridgeError(String code, String message, Map<String, Object> detail) {

    static BridgeError of(String code, String message) {
        return new BridgeError(code, message, Map.of());
    }

    static BridgeError of(Throwable failure) {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (failure instanceof WrongPinException wrong) {
            detail.put("pinWarning", wrong.warning().name());
            return new BridgeError("WRONG_PIN", "the card refused the PIN", detail);
        }
        if (failure instanceof PinLockedException) {
            return new BridgeError("PIN_LOCKED", "the card's PIN is locked", detail);
        }
        if (failure instanceof NoTokenException none) {
            detail.put("reason", none.reason().name());
            return new BridgeError("NO_TOKEN", failure.getMessage(), detail);
        }
        if (failure instanceof CardBusyException) {
            // Another CardRenew process has the card: the same answer as another operation of this bridge.
            return new BridgeError("TOKEN_BUSY", "the card is in use by another operation", detail);
        }
        if (failure instanceof CardFullException) {
            // The page lists the card's decryption history (GET /v1/tokens) for the holder to choose one to remove.
            return new BridgeError("CARD_FULL", failure.getMessage(), detail);
        }
        if (failure instanceof KeyUsageIgnoredException ignored) {
            detail.put("ignored", ignored.ignored());
            return new BridgeError("KEY_USAGE_IGNORED", failure.getMessage(), detail);
        }
        if (failure instanceof CardFailureException) {
            return new BridgeError("CARD_ERROR", failure.getMessage(), detail);
        }
        if (failure instanceof CardException) {
            return new BridgeError("CARD_ERROR", failure.getMessage(), detail);
        }
        if (failure instanceof RenewalException contents) {
            detail.put("reason", contents.reason().name());
            return new BridgeError("CARD_CONTENTS", failure.getMessage(), detail);
        }
        if (failure instanceof RaRefusedException refused) {
            detail.put("raCode", refused.code());
            detail.put("raMessage", refused.error().message());
            return new BridgeError("RA_REFUSED", failure.getMessage(), detail);
        }
        if (failure instanceof ServerNotTrustedException untrusted) {
            // Not "try again later": the desktop team must act. The chain tells them what the server presented.
            detail.put("reason", untrusted.reason().name());
            detail.put("server", untrusted.server().toString());
            detail.put("chain", untrusted.chain());
            return new BridgeError(
                    "SERVER_NOT_TRUSTED", "the connection to the renewal site could not be verified", detail);
        }
        if (failure instanceof RaUnreachableException || failure instanceof IOException) {
            return new BridgeError("RA_UNREACHABLE", "the renewal server cannot be reached", detail);
        }
        return new BridgeError("UNEXPECTED", failure.getClass().getSimpleName(), detail);
    }

    /** The page's shape: {@code code}, {@code message}, then the detail fields beside them. */
    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.putAll(detail);
        return body;
    }
}
