package org.cardrenew.server.tls;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With HTTPS on, {@code cardrenew.tls.revocation-http-port} opens a plain-HTTP port for the CRL and OCSP only
 * (RFC 5280 §4.2.1.13 and RFC 6960 Appendix A name http URIs: relying parties fetch revocation data without TLS,
 * which could itself need a revocation check). Every other path on that port is 404.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cardrenew.tls.revocation-http-port")
public class RevocationHttpListener {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> revocationHttpConnector(TlsProperties tls) {
        return factory -> {
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(tls.revocationHttpPort());
            // Same handling as the main connector for RFC 6960 GET requests (see OcspGetSupport).
            connector.setEncodedSolidusHandling("passthrough");
            factory.addAdditionalConnectors(connector);
        };
    }

    @Bean
    public FilterRegistrationBean<OncePerRequestFilter> revocationHttpOnly(TlsProperties tls) {
        int port = tls.revocationHttpPort();
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        String path = request.getRequestURI()
                                .substring(request.getContextPath().length());
                        boolean revocation =
                                path.equals("/crl/issuing.crl") || path.equals("/ocsp") || path.startsWith("/ocsp/");
                        if (request.getLocalPort() == port && !revocation) {
                            response.sendError(HttpServletResponse.SC_NOT_FOUND);
                            return;
                        }
                        chain.doFilter(request, response);
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
