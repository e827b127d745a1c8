package org.cardrenew.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.cardrenew.ca.CertificateAuthority;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * With {@code cardrenew.tls.enabled=true} the server speaks HTTPS on server.port with the {@link ServerIdentity},
 * and asks clients for a certificate issued by this CA (optional: {@code want}), which EST simplereenroll uses to
 * authenticate the card (RFC 7030 §3.3.2). Plain {@code server.ssl.*} properties still win when set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cardrenew.tls.enabled", havingValue = "true")
public class TlsConfiguration {

    static final String BUNDLE = "cardrenew-server";

    @Bean
    public WebServerFactoryCustomizer<ConfigurableWebServerFactory> cardRenewTls(
            ServerIdentity identity, CertificateAuthority ca) {
        return new TlsCustomizer(identity, ca);
    }

    /** Runs after Spring Boot's own customizer so that its "no server.ssl" default does not undo this one. */
    private record TlsCustomizer(ServerIdentity identity, CertificateAuthority ca)
            implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableWebServerFactory factory) {
            DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
            bundles.registerBundle(BUNDLE, SslBundle.of(SslStoreBundle.of(keyStore(), "", trustStore())));
            factory.setSslBundles(bundles);
            Ssl ssl = Ssl.forBundle(BUNDLE);
            // WANT, not NEED: browsers, the agent and OCSP/CRL clients connect without a certificate.
            ssl.setClientAuth(Ssl.ClientAuth.WANT);
            factory.setSsl(ssl);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        private KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        ServerIdentityConfiguration.ALIAS,
                        identity.key(),
                        new char[0],
                        identity.chain().toArray(Certificate[]::new));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the TLS key store: " + e.getMessage(), e);
            }
        }

        /** Client certificates are accepted when they chain to this CA (holder signing certificates). */
        private KeyStore trustStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate certificate : ca.chain()) {
                    store.setCertificateEntry("cardrenew-ca-" + i++, certificate);
                }
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the TLS trust store: " + e.getMessage(), e);
            }
        }
    }
}
