package org.cardrenew.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.cardrenew.ca.CaUnavailableException.Problem;

/** CA keys in a password-protected PKCS#12 file; every change is written to a temporary file and moved into place. */
final class Pkcs12CaKeyStore implements CaKeyStore {

    private final Path path;
    private final char[] password;
    private final KeyStore keyStore;

    private Pkcs12CaKeyStore(Path path, char[] password, KeyStore keyStore) {
        this.path = path;
        this.password = password;
        this.keyStore = keyStore;
    }

    static Pkcs12CaKeyStore open(CaKeyLocation.Pkcs12File location) {
        Path path = location.path().toAbsolutePath();
        char[] password = location.password();
        if (password == null || password.length == 0) {
            throw new CaUnavailableException(
                    Problem.CONFIGURATION_INVALID,
                    "no password is configured for the CA keystore " + path + ": set the CA keystore password");
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            if (Files.exists(path)) {
                try (InputStream in = Files.newInputStream(path)) {
                    keyStore.load(in, password);
                }
            } else {
                keyStore.load(null, null);
            }
            return new Pkcs12CaKeyStore(path, password.clone(), keyStore);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CaUnavailableException(
                        Problem.KEYSTORE_PASSWORD_WRONG,
                        "the configured password does not open the CA keystore " + path,
                        e);
            }
            throw new CaUnavailableException(
                    Problem.KEYSTORE_UNREADABLE,
                    "cannot read the CA keystore " + path + " (not a PKCS#12 file?): " + e.getMessage(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.KEYSTORE_UNREADABLE, "cannot read the CA keystore " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Entry> load(String alias) {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                return Optional.empty();
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(alias, password);
            return Optional.of(new Entry(key, (X509Certificate) keyStore.getCertificate(alias)));
        } catch (UnrecoverableKeyException e) {
            throw new CaUnavailableException(
                    Problem.KEYSTORE_PASSWORD_WRONG,
                    "the configured password does not open the key '" + alias + "' in " + path,
                    e);
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.KEYSTORE_UNREADABLE,
                    "cannot read the key '" + alias + "' in " + path + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public KeyPair generate(CaKeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm());
            generator.initialize(type.generationSpec(), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + type.configName() + " keys", e);
        }
    }

    @Override
    public void store(String alias, PrivateKey key, X509Certificate... chain) {
        try {
            keyStore.setKeyEntry(alias, key, password, chain);
            Path dir = path.getParent();
            Files.createDirectories(dir);
            Path temporary = dir.resolve(path.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            createOwnerOnly(temporary);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                keyStore.store(out, password);
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.KEYSTORE_UNREADABLE, "cannot write the CA keystore " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Provider signingProvider() {
        return null;
    }

    /** The keystore holds the CA private keys: readable by the server's user only where the file system says so. */
    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }
}
