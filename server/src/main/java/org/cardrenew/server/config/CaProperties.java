package org.cardrenew.server.config;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded CA, mapped onto the ca module's {@code CaSettings}.
 *
 * @param keystore         {@code pkcs12} (default) or {@code pkcs11}
 * @param keystorePath     PKCS#12 file; default {@code <data-dir>/ca/ca.p12}
 * @param keystorePassword PKCS#12 password (env CARDRENEW_CA_KEYSTORE_PASSWORD); unset: generated into
 *                         {@code <data-dir>/ca/keystore-password} with a warning
 * @param pkcs11Library    PKCS#11 library path (pkcs11 kind)
 * @param tokenLabel       HSM token label (pkcs11 kind)
 * @param pin              HSM user PIN (pkcs11 kind; env CARDRENEW_CA_PIN)
 * @param keyType          CA key type: rsa2048, rsa3072 (default), p256, p384; used when the CA is created
 * @param rootSubject      root CA subject at creation; unset: the ca module's default
 * @param issuingSubject   issuing CA subject at creation; unset: the ca module's default
 * @param crlUrl           written into holder certificates; default {@code <public-url>/crl/issuing.crl}
 * @param ocspUrl          written into holder certificates; default {@code <public-url>/ocsp}
 */
@ConfigurationProperties("cardrenew.ca")
public record CaProperties(
        @DefaultValue("pkcs12") String keystore,
        Path keystorePath,
        String keystorePassword,
        Path pkcs11Library,
        String tokenLabel,
        String pin,
        @DefaultValue("rsa3072") String keyType,
        String rootSubject,
        String issuingSubject,
        URI crlUrl,
        URI ocspUrl) {}
