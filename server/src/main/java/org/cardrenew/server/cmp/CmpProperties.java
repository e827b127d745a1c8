package org.cardrenew.server.cmp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CMP ({@code cardrenew.cmp.*}).
 *
 * @param implicitConfirmAllowed grant a client's implicitConfirm (RFC 4210 §5.1.1.1): the renewal completes with the
 *                               kup, without certConf. Off by default: a renewal completes only once the client
 *                               confirms the certificates are on the card.
 * @param messageTimeWindow      how far a request's messageTime may lie from the server's clock, either way (RFC 4210
 *                               §5.1.1); also how long its senderNonce and transactionID are remembered against replay
 */
@ConfigurationProperties("cardrenew.cmp")
public record CmpProperties(
        @DefaultValue("false") boolean implicitConfirmAllowed,
        @DefaultValue("PT5M") Duration messageTimeWindow) {}
