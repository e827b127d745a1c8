package org.cardrenew.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnsetTokenIsGeneratedIntoTheDataDirectoryAndOnlyItsPlaceIsLoggedOnce(CapturedOutput output)
            throws Exception {
        AdminToken first = AdminTokenConfiguration.resolve(new AdminProperties(null), server());

        Path file = dataDir.resolve("admin-token");
        String token = Files.readString(file).trim();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.matches(token)).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(output.getAll())
                .doesNotContain(token)
                .contains("admin token generated into " + file.toAbsolutePath());

        AdminToken second = AdminTokenConfiguration.resolve(new AdminProperties(""), server());
        assertThat(second.matches(token)).as("same token on the next start").isTrue();
        assertThat(output.getAll().split("admin token generated", -1))
                .as("logged only when generated")
                .hasSize(2);
    }

    @Test
    void aConfiguredTokenIsUsedAndNothingIsWritten(CapturedOutput output) {
        AdminToken token = AdminTokenConfiguration.resolve(new AdminProperties("from-environment"), server());

        assertThat(token.matches("from-environment")).isTrue();
        assertThat(token.matches("from-environment ")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(dataDir.resolve("admin-token")).doesNotExist();
        assertThat(output.getAll()).doesNotContain("admin token");
        assertThat(token.toString()).doesNotContain("from-environment");
    }

    @Test
    void anUnsetCaPasswordIsGeneratedOwnerOnlyWithAWarning(CapturedOutput output) throws Exception {
        CaProperties ca = new CaProperties("pkcs12", null, null, null, null, null, "p256", null, null, null, null);

        var settings = CaConfiguration.settings(ca, server());

        Path password = dataDir.resolve("ca").resolve("keystore-password");
        assertThat(Files.getPosixFilePermissions(password)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(output.getAll()).contains("production must configure it");
        assertThat(settings.urls().crlDistributionPoint())
                .isEqualTo(URI.create("https://renew.example.gov.tw/crl/issuing.crl"));
        assertThat(settings.urls().ocsp()).isEqualTo(URI.create("https://renew.example.gov.tw/ocsp"));
    }

    private CardRenewProperties server() {
        return new CardRenewProperties(dataDir, URI.create("https://renew.example.gov.tw/"));
    }
}
