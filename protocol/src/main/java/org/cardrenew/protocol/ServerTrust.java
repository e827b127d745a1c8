package org.cardrenew.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The roots the agent and the command line trust for the renewal site, and the one place their TLS context is
 * built: what the holder's operating system trusts where Java can read it (Windows {@code Windows-ROOT}, macOS
 * {@code KeychainStore}, elsewhere the system bundle such as {@code /etc/ssl/certs/ca-certificates.crt}), the JDK's
 * own trust store, and the roots in an extra file (the agency's root, given by the desktop team). A chain any one
 * of them accepts is trusted. A refused chain is reported with its certificates, so that
 * {@link ServerNotTrustedException} can name them.
 */
public final class ServerTrust {

    /**
     * Where Linux distributions keep the system bundle, first found wins (the list Go's crypto/x509 searches):
     * Debian/Ubuntu, Fedora/RHEL 6, openSUSE, OpenELEC, CentOS/RHEL 7+, Alpine.
     */
    public static final List<Path> LINUX_BUNDLES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/ssl/ca-bundle.pem"),
            Path.of("/etc/pki/tls/cacert.pem"),
            Path.of("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"),
            Path.of("/etc/ssl/cert.pem"));

    /** An extra root file is a handful of certificates; a system bundle a few hundred. */
    private static final long MAX_CA_FILE = 1 << 20;

    private static final long MAX_BUNDLE = 8 << 20;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----");

    private final SSLContext context;
    private final List<String> sources;

    private ServerTrust(SSLContext context, List<String> sources) {
        this.context = context;
        this.sources = List.copyOf(sources);
    }

    /**
     * The operating system's and the JDK's roots, plus those in {@code caFile}.
     *
     * @param caFile PEM (one or several certificates) or DER; null for none
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate: a clear error at start
     */
    public static ServerTrust system(Path caFile) {
        return of(System.getProperty("os.name", ""), LINUX_BUNDLES, caFile);
    }

    /** As {@link #system}, for the given operating system and candidate bundles (tests). */
    static ServerTrust of(String osName, List<Path> linuxBundles, Path caFile) {
        List<X509ExtendedTrustManager> managers = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        managers.add(manager(null));
        sources.add("JDK");
        KeyStore os = operatingSystem(osName, linuxBundles, sources);
        if (os != null) {
            managers.add(manager(os));
        }
        if (caFile != null) {
            List<X509Certificate> roots;
            try {
                roots = certificates(caFile, MAX_CA_FILE);
            } catch (IOException | CertificateException e) {
                throw new IllegalArgumentException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
            }
            managers.add(manager(keyStore(roots)));
            sources.add("ca-file " + caFile + " (" + roots.size()
                    + (roots.size() == 1 ? " certificate)" : " certificates)"));
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyOf(managers)}, null);
            return new ServerTrust(context, sources);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public SSLContext sslContext() {
        return context;
    }

    /** Where the trusted roots come from, for the agent's start line and a trust failure's detail. */
    public List<String> sources() {
        return sources;
    }

    /**
     * The certificates of a PEM file (one or several, text around them ignored) or of a DER file (one certificate,
     * or a PKCS#7 bundle).
     */
    public static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        return certificates(file, MAX_CA_FILE);
    }

    private static List<X509Certificate> certificates(Path file, long maxBytes)
            throws IOException, CertificateException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        if (Files.size(file) > maxBytes) {
            throw new IOException("larger than " + maxBytes + " bytes: not a certificate file");
        }
        byte[] content = Files.readAllBytes(file);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
            Matcher pem = PEM.matcher(text);
            while (pem.find()) {
                byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } else {
            try (InputStream in = new ByteArrayInputStream(content)) {
                for (Certificate c : factory.generateCertificates(in)) {
                    certificates.add((X509Certificate) c);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("holds no certificate (PEM or DER expected)");
        }
        return certificates;
    }

    /** The OS store, or null where there is none Java can read (its absence is no error: the JDK's roots remain). */
    private static KeyStore operatingSystem(String osName, List<Path> linuxBundles, List<String> sources) {
        String os = osName.toLowerCase(Locale.ROOT);
        String type = os.startsWith("windows") ? "Windows-ROOT" : os.startsWith("mac") ? "KeychainStore" : null;
        try {
            if (type != null) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(null, null);
                sources.add(type);
                return store;
            }
            for (Path bundle : linuxBundles) {
                if (Files.isRegularFile(bundle)) {
                    KeyStore store = keyStore(certificates(bundle, MAX_BUNDLE));
                    sources.add(bundle.toString());
                    return store;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            sources.add("operating system store unreadable: " + e.getMessage());
        }
        return null;
    }

    private static KeyStore keyStore(Collection<X509Certificate> roots) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate root : roots) {
                store.setCertificateEntry("root-" + i++, root);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold trusted roots: " + e.getMessage(), e);
        }
    }

    /** PKIX over the store; null: the JDK's default (javax.net.ssl.trustStore, else cacerts). */
    private static X509ExtendedTrustManager manager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /** Why a presented chain was refused. */
    public enum Reason {
        /** The chain does not lead to a root that this machine (or the CA file) trusts. */
        UNKNOWN_ISSUER,
        /** A certificate of the chain is outside its validity (or this machine's clock is wrong). */
        CERTIFICATE_EXPIRED,
        /** The certificate is trusted but not issued for the host name in the server URL. */
        NAME_MISMATCH,
        /** No TLS agreement: not a TLS server, or no common protocol version or cipher. */
        HANDSHAKE_FAILED
    }

    /** The refusal as the handshake carries it to {@link ServerNotTrustedException}: the reason and the chain. */
    static final class Refused extends CertificateException {
        private final Reason reason;
        private final transient List<X509Certificate> chain;

        Refused(Reason reason, X509Certificate[] chain, Throwable cause) {
            super(reason + ": " + (cause == null ? "" : cause.getMessage()), cause);
            this.reason = reason;
            this.chain = chain == null ? List.of() : List.of(chain);
        }

        Reason reason() {
            return reason;
        }

        List<X509Certificate> chain() {
            return chain;
        }
    }

    /**
     * Trusted when any manager accepts the chain. The path is checked first on its own, then with the connection's
     * checks (host name, the session's algorithm constraints) by the manager that accepted it, so a refusal can say
     * whether the issuer or the name was wrong.
     */
    private static final class AnyOf extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> managers;

        AnyOf(List<X509ExtendedTrustManager> managers) {
            this.managers = List.copyOf(managers);
        }

        private X509ExtendedTrustManager path(X509Certificate[] chain, String authType) throws Refused {
            List<CertificateException> failures = new ArrayList<>();
            for (X509ExtendedTrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return manager;
                } catch (CertificateException e) {
                    failures.add(e);
                }
            }
            boolean expired = failures.stream().anyMatch(AnyOf::outsideValidity);
            throw new Refused(
                    expired ? Reason.CERTIFICATE_EXPIRED : Reason.UNKNOWN_ISSUER,
                    chain,
                    failures.isEmpty() ? null : failures.get(0));
        }

        private static boolean outsideValidity(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateExpiredException
                        || t instanceof java.security.cert.CertificateNotYetValidException) {
                    return true;
                }
                if (t instanceof CertPathValidatorException v
                        && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                                || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            connection(chain, authType, trusted -> trusted.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            connection(chain, authType, trusted -> trusted.checkServerTrusted(chain, authType, socket));
        }

        /** The connection's checks by the manager that accepted the path; what fails there is the host name. */
        private void connection(X509Certificate[] chain, String authType, ConnectionCheck check)
                throws CertificateException {
            X509ExtendedTrustManager trusted = path(chain, authType);
            try {
                check.with(trusted);
            } catch (CertificateException e) {
                throw new Refused(Reason.NAME_MISMATCH, chain, e);
            }
        }

        private interface ConnectionCheck {
            void with(X509ExtendedTrustManager trusted) throws CertificateException;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            path(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream()
                    .flatMap(m -> Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
