package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.renewal.DecryptionHistory;
import org.cardrenew.agent.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options and the per-user file together; the file's place on each OS. */
class BridgeSettingsTest {

    private static final Path HOME = Path.of("/home/holder");

    @Test
    void theFileLivesInEachOsUsualPlace() {
        assertThat(BridgeSettings.defaultFile("Windows 11", Map.of("APPDATA", "C:\\Users\\h\\AppData\\Roaming"), HOME))
                .isEqualTo(Path.of("C:\\Users\\h\\AppData\\Roaming", "CardRenew", "agent.properties"));
        assertThat(BridgeSettings.defaultFile("Mac OS X", Map.of(), HOME))
                .isEqualTo(HOME.resolve("Library/Application Support/CardRenew/agent.properties"));
        assertThat(BridgeSettings.defaultFile("Linux", Map.of(), HOME))
                .isEqualTo(HOME.resolve(".config/cardrenew/agent.properties"));
        assertThat(BridgeSettings.defaultFile("Linux", Map.of("XDG_CONFIG_HOME", "/cfg"), HOME))
                .isEqualTo(Path.of("/cfg/cardrenew/agent.properties"));
    }

    @Test
    void optionsWinAndOriginsFromBothAreAllowed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(
                file,
                "module=/opt/hicos/libHiCOSPKCS11.so\nport=40000\nallow-origin=https://renew.example.gov.tw, https://test.example.gov.tw\n");
        BridgeSettings fromFile = BridgeSettings.resolve(null, null, List.of(), file);
        assertThat(fromFile.module()).isEqualTo(Path.of("/opt/hicos/libHiCOSPKCS11.so"));
        assertThat(fromFile.port()).isEqualTo(40000);
        assertThat(fromFile.origins().all())
                .containsExactlyInAnyOrder("https://renew.example.gov.tw", "https://test.example.gov.tw");

        BridgeSettings options = BridgeSettings.resolve(
                Path.of("/usr/lib/softhsm/libsofthsm2.so"), 41000, List.of("http://localhost:8080"), file);
        assertThat(options.module()).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
        assertThat(options.port()).isEqualTo(41000);
        assertThat(options.origins().all()).contains("http://localhost:8080", "https://renew.example.gov.tw");
    }

    @Test
    void withoutAFileTheDefaultPortIsUsedAndAnOriginIsRequired(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.properties");
        assertThat(BridgeSettings.resolve(Path.of("lib.so"), null, List.of("http://localhost:8080"), missing)
                        .port())
                .isEqualTo(BridgeSettings.DEFAULT_PORT);
        assertThatThrownBy(() -> BridgeSettings.resolve(Path.of("lib.so"), null, List.of(), missing))
                .hasMessageContaining("allow-origin");
        assertThatThrownBy(() -> BridgeSettings.resolve(null, null, List.of("http://localhost:8080"), missing))
                .hasMessageContaining("--module");
    }

    @Test
    void theDecryptionHistoryLimitComesFromTheOptionElseTheFileElseKeepsAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Path missing = dir.resolve("none.properties");
        Files.writeString(file, "keep-decryption-keys=3\n");
        assertThat(BridgeSettings.decryptionHistory(null, missing)).isEqualTo(DecryptionHistory.ALL);
        assertThat(BridgeSettings.decryptionHistory(null, file)).isEqualTo(new DecryptionHistory(3));
        assertThat(BridgeSettings.decryptionHistory("0", file)).isEqualTo(new DecryptionHistory(0));
        assertThat(BridgeSettings.resolve(Path.of("lib.so"), null, List.of("http://localhost:8080"), null, null, file)
                        .history())
                .isEqualTo(new DecryptionHistory(3));
        Files.writeString(file, "keep-decryption-keys=-1\n");
        assertThatThrownBy(() -> BridgeSettings.decryptionHistory(null, file))
                .hasMessageContaining("keep-decryption-keys");
        assertThatThrownBy(() -> BridgeSettings.decryptionHistory("some", missing))
                .hasMessageContaining("keep-decryption-keys");
    }

    @Test
    void caFileInTheFileIsTakenFromTheFilesFolderAndTheOptionWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "module=lib.so\nallow-origin=https://renew.example.gov.tw\nca-file=agency-root.pem\n");
        Files.write(
                dir.resolve("agency-root.pem"), TestCa.create().certificate().getEncoded());
        Files.write(dir.resolve("other.der"), TestCa.create().certificate().getEncoded());

        assertThat(BridgeSettings.resolve(null, null, List.of(), file).trust().sources())
                .contains("ca-file " + dir.resolve("agency-root.pem") + " (1 certificate)");
        assertThat(BridgeSettings.resolve(null, null, List.of(), dir.resolve("other.der"), file)
                        .trust()
                        .sources())
                .contains("ca-file " + dir.resolve("other.der") + " (1 certificate)")
                .noneMatch(source -> source.contains("agency-root.pem"));
    }

    @Test
    void aCaFileThatCannotBeUsedStopsTheBridgeAtStartNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "module=lib.so\nallow-origin=https://renew.example.gov.tw\nca-file=missing.pem\n");

        assertThatThrownBy(() -> BridgeSettings.resolve(null, null, List.of(), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("missing.pem").toString());
    }
}
