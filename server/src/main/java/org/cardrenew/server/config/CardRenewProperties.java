package org.cardrenew.server.config;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the server keeps its data and how it is reached.
 *
 * @param dataDir   embedded database, CA keystore and generated secrets; relative to the working directory
 * @param publicUrl the base URL holders and relying parties reach this server at (CRL/OCSP URLs derive from it)
 */
@ConfigurationProperties("cardrenew")
public record CardRenewProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("http://localhost:8080") URI publicUrl) {

    /** The public URL without a trailing slash, with a path appended. */
    public URI publicUrl(String path) {
        String base = publicUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
