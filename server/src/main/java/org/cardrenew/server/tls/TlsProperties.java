package org.cardrenew.server.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server's own key and certificate ({@code cardrenew.tls.*}): HTTPS, and the signature on CMP responses.
 *
 * @param enabled            serve HTTPS (with TLS client certificates requested, for EST) on server.port
 * @param names              DNS names and IP addresses of the certificate; default: the public URL's host,
 *                           localhost, 127.0.0.1 and ::1
 * @param keystore           a PKCS#12 file with the server key and certificate chain, provided by the operator
 *                           (e.g. from the agency's web PKI); unset: created in {@code <data-dir>/tls/server.p12},
 *                           certified by the embedded CA and replaced when a third of its lifetime is left
 * @param keystorePassword   its password; unset for the created one: generated into {@code <data-dir>/tls/}
 * @param lifetime           validity of a created certificate
 * @param revocationHttpPort with HTTPS on: a second, plain-HTTP port serving only the CRL and OCSP (relying parties
 *                           must be able to check revocation without TLS, and some never follow an https CRL
 *                           distribution point); point {@code cardrenew.ca.crl-url}/{@code ocsp-url} at it.
 *                           Unset: none.
 */
@ConfigurationProperties("cardrenew.tls")
public record TlsProperties(
        @DefaultValue("false") boolean enabled,
        List<String> names,
        Path keystore,
        String keystorePassword,
        @DefaultValue("P90D") Duration lifetime,
        Integer revocationHttpPort) {}
