package org.cardrenew.server.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.server.config.GeneratedSecret;
import org.cardrenew.server.store.KeyHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedicated audit signing key: EC P-256 in {@code <data-dir>/audit/audit-key.p12}, its password generated beside
 * it. Its certificate is self-signed; what makes it trusted is its SHA-256 fingerprint, logged once at creation
 * (operators note it, docs/AUDIT.md). A separate key keeps the CA key out of routine signing.
 */
public record AuditKey(PrivateKey privateKey, X509Certificate certificate) {

    public static final String ALGORITHM = "SHA256withECDSA";
    private static final String ALIAS = "cardrenew-audit";
    private static final Logger log = LoggerFactory.getLogger(AuditKey.class);

    /** Loads the key from {@code dir}, or creates it at first start. */
    public static AuditKey loadOrCreate(Path dir, Clock clock) {
        Path file = dir.resolve("audit-key.p12");
        char[] password = GeneratedSecret.readOrCreate(dir.resolve("keystore-password"))
                .value()
                .toCharArray();
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    keyStore.load(in, password);
                }
                return new AuditKey((PrivateKey) keyStore.getKey(ALIAS, password), (X509Certificate)
                        keyStore.getCertificate(ALIAS));
            }
            AuditKey created = create(clock.instant());
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, created.privateKey(), password, new X509Certificate[] {created.certificate()});
            Path temporary = Files.createTempFile(dir, "audit-key", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                keyStore.store(out, password);
            }
            try {
                Files.move(temporary, file);
            } catch (java.nio.file.FileAlreadyExistsException anotherNode) {
                // another node sharing the data directory created it first: use that one
                Files.deleteIfExists(temporary);
                return loadOrCreate(dir, clock);
            }
            log.info(
                    "created the audit signing key {}; its certificate's SHA-256 fingerprint is {}",
                    file,
                    created.fingerprint());
            return created;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or create the audit key " + file + ": " + e.getMessage(), e);
        }
    }

    static AuditKey create(Instant now) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=CardRenew audit key");
        try {
            // Ten years: the key must verify old checkpoints for as long as the audit trail is kept.
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                                    Date.from(now.minusSeconds(60)),
                                    Date.from(now.plus(Duration.ofDays(3650))),
                                    name,
                                    keys.getPublic())
                            .build(new JcaContentSignerBuilder(ALGORITHM).build(keys.getPrivate())));
            return new AuditKey(keys.getPrivate(), certificate);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public String fingerprint() {
        return fingerprint(certificate);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return KeyHash.sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
