package org.cardrenew.server.cmp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CMP ({@code cardrenew.cmp.*}).
 *
 * @param implicitConfirmAllowed grant a client's implicitConfirm (RFC 4210 §5.1.1.1): the renewal completes with the
 *                               kup, without certConf. Off by default: a renewal completes only once the client
 *                               confirms the certificates are on the card.
 */
@ConfigurationProperties("cardrenew.cmp")
public record CmpProperties(@DefaultValue("false") boolean implicitConfirmAllowed) {}
