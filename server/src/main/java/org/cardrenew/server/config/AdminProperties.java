package org.cardrenew.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param token the admin API bearer token (env CARDRENEW_ADMIN_TOKEN); unset: generated into the data directory */
@ConfigurationProperties("cardrenew.admin")
public record AdminProperties(String token) {}
