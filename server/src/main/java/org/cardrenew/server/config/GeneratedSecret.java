package org.cardrenew.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret generated at first start and kept in a file readable by the owner only.
 *
 * @param value        the secret
 * @param newlyCreated true when this start generated it (callers say where it is, once)
 */
public record GeneratedSecret(String value, boolean newlyCreated) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the secret from the file, or creates the file with 256 random bits, base64url-encoded. */
    public static GeneratedSecret readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new GeneratedSecret(
                        Files.readString(file, StandardCharsets.UTF_8).trim(), false);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            createOwnerOnly(file);
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return new GeneratedSecret(secret, true);
        } catch (FileAlreadyExistsException raced) {
            return readOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /**
     * Writes a secret to a new file readable by its owner only (0600), replacing an older one: secrets go to such files,
     * never to the log.
     */
    public static void writeOwnerOnly(Path file, String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            createOwnerOnly(file);
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
    }
}
