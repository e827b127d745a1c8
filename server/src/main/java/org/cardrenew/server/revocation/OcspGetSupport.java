package org.cardrenew.server.revocation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * RFC 6960 A.1 GET puts the URL-encoded base64 request in the path, so it contains {@code %2F} whenever the base64
 * has a '/'. Tomcat and Spring Security reject encoded slashes by default (path confusion); both are relaxed for
 * {@code /ocsp/} only: Tomcat passes {@code %2F} through undecoded (it then never splits a path segment), and the
 * firewall allows it (and {@code %2F%2F}) under {@code /ocsp/} while every other path keeps the strict default.
 */
@Configuration(proxyBeanMethods = false)
public class OcspGetSupport {

    @Bean
    public WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> ocspEncodedSlashes() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }

    @Bean
    public WebSecurityCustomizer ocspGetFirewall() {
        StrictHttpFirewall strict = new StrictHttpFirewall();
        StrictHttpFirewall ocsp = new StrictHttpFirewall();
        ocsp.setAllowUrlEncodedSlash(true);
        // Base64 has "//" as often as any other pair: about one request in forty was refused with 400 before.
        ocsp.setAllowUrlEncodedDoubleSlash(true);
        // Passed through undecoded, "%2F" stays in the servlet path, which the strict firewall expects free of '%'.
        ocsp.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(new HttpFirewall() {
            @Override
            public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
                String uri = request.getRequestURI();
                boolean ocspGet = uri != null && uri.startsWith(request.getContextPath() + "/ocsp/");
                return (ocspGet ? ocsp : strict).getFirewalledRequest(request);
            }

            @Override
            public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
                return strict.getFirewalledResponse(response);
            }
        });
    }
}
