package org.cardrenew.server.web.pages;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the renewal page finds the holder's card bridge ({@code cardrenew agent}, default port 47811 on
 * 127.0.0.1; docs/AGENT.md). The page's CSP allows connections to this origin only, besides its own.
 *
 * @param url            the bridge
 * @param minimumVersion the oldest agent version holders may keep without being asked to update (the page
 *                       compares the bridge's reported version, numeric parts only); application.properties
 *                       sets it to this build's version; blank: never asked
 */
@ConfigurationProperties("cardrenew.bridge")
public record BridgeProperties(
        @DefaultValue("http://127.0.0.1:47811") URI url,
        @DefaultValue("") String minimumVersion) {

    /** The bridge's origin (scheme, host, port), as CSP connect-src wants it. */
    public String origin() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }
}
