package org.cardrenew.server.revocation;

import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.ca.OcspResponder;
import org.cardrenew.ca.OcspSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OCSP responder of the embedded CA; a remote CA back end provides its own {@link OcspResponder} bean. */
@Configuration(proxyBeanMethods = false)
public class RevocationConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RevocationConfiguration.class);
    /** DER OCSPResponse {responseStatus unauthorized(6)}. */
    private static final byte[] UNAUTHORIZED = {0x30, 0x03, 0x0a, 0x01, 0x06};

    @Bean
    @ConditionalOnMissingBean(OcspResponder.class)
    public OcspResponder ocspResponder(CertificateAuthority ca, RevocationProperties properties) {
        if (!(ca instanceof EmbeddedCa embedded)) {
            // RFC 6960 §2.3: a responder that cannot answer for this CA says "unauthorized".
            log.warn("the CA back end provides no OCSP responder: /ocsp answers unauthorized until an OcspResponder "
                    + "bean is configured");
            return (request, lookup) -> UNAUTHORIZED.clone();
        }
        // Creates (or renews) the delegated OCSP signing certificate in the CA key store now, not at the first request.
        return embedded.ocspResponder(new OcspSettings(properties.ocspSignerLifetime(), properties.ocspResponseValidity()));
    }
}
