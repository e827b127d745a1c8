package org.cardrenew.server.config;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.cardrenew.ca.CaKeyType;
import org.cardrenew.ca.CaSettings;
import org.cardrenew.ca.CaSubjects;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.CryptoProviders;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.ca.OcspResponder;
import org.cardrenew.ca.OcspSettings;
import org.cardrenew.ca.PublicationUrls;
import org.cardrenew.server.revocation.RevocationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens (or on first start creates) the embedded CA from the {@code cardrenew.ca.*} properties. */
@Configuration(proxyBeanMethods = false)
public class CaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaConfiguration.class);

    static final String PASSWORD_FILE = "keystore-password";

    /**
     * The embedded CA, published under its concrete type so that every capability it offers is a bean by type:
     * {@link CertificateAuthority} for the RA, {@link org.cardrenew.ca.CrlIssuer} for the CRL and
     * {@link org.cardrenew.ca.TlsServerCertificateIssuer} for the server's own certificate. A remote CA back end
     * declares its own {@code CertificateAuthority} bean and whichever capabilities it has.
     */
    @Bean
    @ConditionalOnMissingBean(CertificateAuthority.class)
    public EmbeddedCa certificateAuthority(CaProperties ca, CardRenewProperties server, Clock clock) {
        return EmbeddedCa.openOrCreate(settings(ca, server), clock);
    }

    /** Which modules sign for the embedded CA and check holders' signatures, logged in one line for the auditor. */
    @Bean
    @ConditionalOnBean(EmbeddedCa.class)
    public CryptoModules cryptoModules(EmbeddedCa ca) {
        CryptoModules modules =
                new CryptoModules(ca.signingModule(), CryptoProviders.jvm().holderModules());
        log.info(
                "crypto modules: the issuing CA signs through {}; holder signatures are checked through {}",
                modules.caSigning(),
                modules.holderChecks());
        return modules;
    }

    /**
     * The embedded CA's OCSP responder, with its delegated signing certificate created (or renewed) in the CA key
     * store now rather than at the first request. Without an {@link OcspResponder} bean /ocsp answers unauthorized.
     */
    @Bean
    @ConditionalOnBean(EmbeddedCa.class)
    @ConditionalOnMissingBean(OcspResponder.class)
    public OcspResponder ocspResponder(EmbeddedCa ca, RevocationProperties properties) {
        return ca.ocspResponder(new OcspSettings(properties.ocspSignerLifetime(), properties.ocspResponseValidity()));
    }

    static CaSettings settings(CaProperties ca, CardRenewProperties server) {
        Path caDir = server.dataDir().resolve("ca");
        CaSettings settings = switch (ca.keystore().toLowerCase(Locale.ROOT)) {
            case "pkcs12" ->
                CaSettings.pkcs12(
                        ca.keystorePath() != null ? ca.keystorePath() : caDir.resolve("ca.p12"),
                        keystorePassword(ca, caDir));
            case "pkcs11" -> {
                if (ca.pkcs11Library() == null || ca.tokenLabel() == null || ca.pin() == null) {
                    throw new IllegalStateException("cardrenew.ca.keystore=pkcs11 needs cardrenew.ca.pkcs11-library, "
                            + "cardrenew.ca.token-label and cardrenew.ca.pin");
                }
                yield CaSettings.hsm(
                        ca.pkcs11Library(), ca.tokenLabel(), ca.pin().toCharArray());
            }
            default ->
                throw new IllegalStateException(
                        "cardrenew.ca.keystore must be pkcs12 or pkcs11, not '" + ca.keystore() + "'");
        };
        settings = settings.withKeyType(CaKeyType.fromConfigName(ca.keyType()));
        if (ca.rootSubject() != null && ca.issuingSubject() != null) {
            settings = settings.withSubjects(CaSubjects.of(ca.rootSubject(), ca.issuingSubject()));
        }
        return settings.withUrls(new PublicationUrls(
                ca.crlUrl() != null ? ca.crlUrl() : server.publicUrl("/crl/issuing.crl"),
                ca.ocspUrl() != null ? ca.ocspUrl() : server.publicUrl("/ocsp"),
                // RFC 5280 §4.2.2.1 wants DER or certs-only CMS at caIssuers; our bundle is PEM, so none yet
                null));
    }

    private static char[] keystorePassword(CaProperties ca, Path caDir) {
        if (ca.keystorePassword() != null && !ca.keystorePassword().isEmpty()) {
            return ca.keystorePassword().toCharArray();
        }
        GeneratedSecret secret = GeneratedSecret.readOrCreate(caDir.resolve(PASSWORD_FILE));
        log.warn(
                "cardrenew.ca.keystore-password is not set: the CA keystore password is {} in {}; production must "
                        + "configure it (environment CARDRENEW_CA_KEYSTORE_PASSWORD)",
                secret.newlyCreated() ? "generated" : "read from",
                caDir.resolve(PASSWORD_FILE));
        return secret.value().toCharArray();
    }
}
