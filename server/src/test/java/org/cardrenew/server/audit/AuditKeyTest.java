package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit key is created once under the data directory and the same key is loaded afterwards. */
class AuditKeyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void theKeyIsCreatedOnceAndLoadedThereafter(@TempDir Path dataDir) {
        Path dir = dataDir.resolve("audit");
        AuditKey created = AuditKey.loadOrCreate(dir, CLOCK);
        AuditKey loaded = AuditKey.loadOrCreate(dir, CLOCK);

        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).hasSize(64);
        assertThat(loaded.privateKey().getEncoded())
                .isEqualTo(created.privateKey().getEncoded());
        assertThat(loaded.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Files.exists(dir.resolve("keystore-password"))).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("audit-key.p12", "keystore-password");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
