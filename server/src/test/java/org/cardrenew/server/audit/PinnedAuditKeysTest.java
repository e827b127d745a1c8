package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit keys the operator pins: read from the configured file and list, never taken from the key on disk. */
class PinnedAuditKeysTest {

    private static final String A = "ab".repeat(32);
    private static final String B = "0c".repeat(32);

    @Test
    void fingerprintsComeFromTheFileAndTheListNormalised(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("trusted-audit-keys"),
                "# key ceremony 2026-03-01\n" + A.toUpperCase().replaceAll("(..)(?!$)", "$1:") + "  # current\n\n");
        assertThat(AuditConfiguration.pinnedFingerprints(file.toString(), List.of(" " + B + " ")))
                .containsExactlyInAnyOrder(A, B);
    }

    @Test
    void nothingConfiguredPinsNothing() {
        assertThat(AuditConfiguration.pinnedFingerprints("", List.of())).isEmpty();
    }

    @Test
    void aLineThatIsNotAFingerprintStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("trusted-audit-keys"), "not-a-fingerprint\n");
        assertThatThrownBy(() -> AuditConfiguration.pinnedFingerprints(file.toString(), List.of()))
                .hasMessageContaining("not a SHA-256 fingerprint");
    }
}
