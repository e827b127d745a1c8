package org.cardrenew.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.IssuanceException;
import org.cardrenew.ca.TlsServerCertificateIssuer;
import org.cardrenew.ca.TlsServerRequest;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.config.GeneratedSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the server identity from the operator's PKCS#12 file, or creates (and later replaces) one certified by the
 * embedded CA, so HTTPS and EST client authentication work out of the box.
 */
@Configuration(proxyBeanMethods = false)
public class ServerIdentityConfiguration {

    static final String ALIAS = "cardrenew-server";

    private static final Logger log = LoggerFactory.getLogger(ServerIdentityConfiguration.class);

    @Bean
    public ServerIdentity serverIdentity(
            TlsProperties tls,
            CardRenewProperties server,
            CertificateAuthority ca,
            ObjectProvider<TlsServerCertificateIssuer> tlsIssuer,
            Clock clock) {
        return serverIdentity(tls, server, ca, tlsIssuer.getIfAvailable(), clock);
    }

    /** The server's TLS identity; {@code tlsIssuer} null when the CA back end cannot issue server certificates. */
    ServerIdentity serverIdentity(
            TlsProperties tls,
            CardRenewProperties server,
            CertificateAuthority ca,
            TlsServerCertificateIssuer tlsIssuer,
            Clock clock) {
        if (tls.keystore() != null) {
            if (tls.keystorePassword() == null) {
                throw new IllegalStateException("cardrenew.tls.keystore needs cardrenew.tls.keystore-password");
            }
            return load(tls.keystore(), tls.keystorePassword().toCharArray())
                    .orElseThrow(() -> new IllegalStateException("no key entry in " + tls.keystore()));
        }
        Path dir = server.dataDir().resolve("tls");
        Path file = dir.resolve("server.p12");
        char[] password = (tls.keystorePassword() != null
                        ? tls.keystorePassword()
                        : GeneratedSecret.readOrCreate(dir.resolve("keystore-password"))
                                .value())
                .toCharArray();
        Instant now = clock.instant();
        java.util.Optional<ServerIdentity> existing =
                Files.exists(file) ? load(file, password) : java.util.Optional.empty();
        if (existing.isPresent()
                && fresh(existing.get().certificate(), now)
                && ca.isIssuerOf(existing.get().certificate())) {
            return existing.get();
        }
        ServerIdentity created = create(tls, server, ca, tlsIssuer, now);
        store(file, password, created);
        log.info(
                "created the server TLS certificate {} for {} in {}, valid until {}",
                created.certificate().getSerialNumber().toString(16),
                names(tls, server),
                file,
                created.certificate().getNotAfter().toInstant());
        return created;
    }

    /** More than a third of the lifetime left. */
    private static boolean fresh(X509Certificate certificate, Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        return now.isBefore(notAfter.minus(Duration.between(notBefore, notAfter).dividedBy(3)));
    }

    private static ServerIdentity create(
            TlsProperties tls,
            CardRenewProperties server,
            CertificateAuthority ca,
            TlsServerCertificateIssuer issuer,
            Instant now) {
        // A CA back end that does not offer TlsServerCertificateIssuer cannot make the server's certificate.
        if (issuer == null) {
            throw new IllegalStateException(
                    "the CA back end cannot issue the server certificate: configure " + "cardrenew.tls.keystore");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            List<String> dnsNames = new ArrayList<>();
            List<InetAddress> addresses = new ArrayList<>();
            for (String name : names(tls, server)) {
                if (name.matches("[0-9.]+") || name.contains(":")) {
                    addresses.add(InetAddress.getByName(name));
                } else {
                    dnsNames.add(name);
                }
            }
            // Backdated a minute for clients whose clocks run slightly behind.
            X509Certificate certificate = issuer.issueTlsServer(new TlsServerRequest(
                            keys.getPublic(), dnsNames, addresses, now.minusSeconds(60), now.plus(tls.lifetime())))
                    .certificate();
            List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
            chain.addAll(ca.chain());
            return new ServerIdentity(keys.getPrivate(), chain);
        } catch (GeneralSecurityException | IssuanceException | UnknownHostException e) {
            throw new IllegalStateException("cannot create the server TLS certificate: " + e.getMessage(), e);
        }
    }

    static List<String> names(TlsProperties tls, CardRenewProperties server) {
        if (tls.names() != null && !tls.names().isEmpty()) {
            return tls.names();
        }
        Set<String> names = new LinkedHashSet<>();
        String host = server.publicUrl().getHost();
        if (host != null) {
            names.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        }
        names.addAll(List.of("localhost", "127.0.0.1", "::1"));
        return List.copyOf(names);
    }

    private static java.util.Optional<ServerIdentity> load(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            for (String alias : java.util.Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    Certificate[] chain = keyStore.getCertificateChain(alias);
                    return java.util.Optional.of(new ServerIdentity(
                            (PrivateKey) keyStore.getKey(alias, password),
                            Arrays.stream(chain)
                                    .map(X509Certificate.class::cast)
                                    .toList()));
                }
            }
            return java.util.Optional.empty();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the server keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static void store(Path file, char[] password, ServerIdentity identity) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(
                    ALIAS, identity.key(), password, identity.chain().toArray(Certificate[]::new));
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            try {
                // The file holds the server's private key: owner only, where the file system knows owners.
                Files.setPosixFilePermissions(
                        temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's ACL applies.
            }
            try (OutputStream out = Files.newOutputStream(temporary)) {
                keyStore.store(out, password);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the server keystore " + file + ": " + e.getMessage(), e);
        }
    }
}
