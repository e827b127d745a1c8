package org.cardrenew.agent.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardLockTest {

    @TempDir
    Path directory;

    @Test
    void oneProcessSharesTheLockOfACardAndReleasesItWithTheLastUser() throws Exception {
        CardLock first = CardLock.acquire(directory, "card", "0001");
        CardLock second = CardLock.acquire(directory, "card", "0001");
        Path file = onlyFile();

        first.close();
        assertThat(lockedInThisJvm(file)).as("still held by the second user").isTrue();
        second.close();
        assertThat(lockedInThisJvm(file)).as("released with the last user").isFalse();
    }

    @Test
    void cardsWithTheSameLabelButAnotherSerialNumberHaveTheirOwnLocks() throws Exception {
        try (CardLock a = CardLock.acquire(directory, "PIV Card", "0001");
                CardLock b = CardLock.acquire(directory, "PIV Card", "0002")) {
            try (var files = Files.list(directory)) {
                assertThat(files).hasSize(2);
            }
        }
    }

    @Test
    void withoutADirectoryOfItsOwnTheAgentWorksUnlocked() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");

        try (CardLock lock = CardLock.acquire(notADirectory.resolve("locks"), "card", "0001")) {
            assertThat(lock).isNotNull();
        }
    }

    private Path onlyFile() throws Exception {
        try (var files = Files.list(directory)) {
            return files.findFirst().orElseThrow();
        }
    }

    /** Whether this JVM holds a lock on the file: locking it again here then overlaps. */
    private static boolean lockedInThisJvm(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException held) {
            return true;
        }
    }
}
