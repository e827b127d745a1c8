package org.cardrenew.agent.card;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Keeps two CardRenew processes off one card at the same time: the CLI and the bridge, or two windows, each
 * generating, writing and deleting objects on the same token would each see the other's half-written state (PKCS#11
 * has no transactions across sessions of two processes). An exclusive lock on a file named after the token's label
 * and serial number, in a directory of the user's own, is held from {@link Card#open} to {@link Card#close}; the
 * operating system releases it when a process dies, so a crash never leaves a card locked. Within one process the lock
 * is shared: the bridge serialises its own operations per token, and a process cannot lock a file against itself.
 */
final class CardLock implements AutoCloseable {

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean open = true;

    private CardLock(Path file) {
        this.file = file;
    }

    /** The lock of the token with this label and serial number, in the default directory. */
    static CardLock acquire(String label, String serialNumber) throws CardBusyException {
        return acquire(defaultDirectory(), label, serialNumber);
    }

    /**
     * @throws CardBusyException when another process holds the token's lock
     */
    static CardLock acquire(Path directory, String label, String serialNumber) throws CardBusyException {
        Path file = directory.resolve(name(label, serialNumber));
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held == null) {
                held = Held.take(directory, file, label);
                if (held == null) {
                    // No directory of our own to lock in: work without the lock rather than refuse the holder.
                    return new CardLock(null);
                }
                HELD.put(file, held);
            }
            held.users++;
            return new CardLock(file);
        }
    }

    @Override
    public void close() {
        if (!open || file == null) {
            open = false;
            return;
        }
        open = false;
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held != null && --held.users == 0) {
                HELD.remove(file);
                held.release();
            }
        }
    }

    /** One directory per user under the system's temporary directory (per user already on Windows and macOS). */
    static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "cardrenew-" + System.getProperty("user.name") + "-cards");
    }

    private static String name(String label, String serialNumber) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((label + "\n" + serialNumber).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16) + ".lock";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static final class Held {
        private final FileChannel channel;
        private final FileLock lock;
        private int users;

        private Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** The lock, or null when no lock file can be made here; throws when another process holds it. */
        static Held take(Path directory, Path file, String label) throws CardBusyException {
            FileChannel channel;
            try {
                createPrivate(directory);
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return null;
            }
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw new CardBusyException("another CardRenew program is using the card '" + label + "'");
                }
                return new Held(channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                return null;
            }
        }

        void release() {
            try {
                lock.release();
            } catch (IOException ignored) {
                // Closing the channel below releases it as well.
            }
            closeQuietly(channel);
        }

        private static void createPrivate(Path directory) throws IOException {
            if (Files.isDirectory(directory)) {
                return;
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }

        private static void closeQuietly(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
