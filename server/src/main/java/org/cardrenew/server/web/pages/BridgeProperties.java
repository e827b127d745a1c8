package org.cardrenew.server.web.pages;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the renewal page finds the holder's card bridge ({@code cardrenew agent}, default port 47811 on
 * 127.0.0.1; docs/AGENT.md). The page's CSP allows connections to this origin only, besides its own.
 */
@ConfigurationProperties("cardrenew.bridge")
public record BridgeProperties(@DefaultValue("http://127.0.0.1:47811") URI url) {

    /** The bridge's origin (scheme, host, port), as CSP connect-src wants it. */
    public String origin() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }
}
