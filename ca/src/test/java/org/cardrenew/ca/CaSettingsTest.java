package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaSettingsTest {

    @Test
    void unsetChoicesFallBackToTheDocumentedDefaults() {
        CaSettings settings = CaSettings.pkcs12(Path.of("data/ca.p12"), "secret".toCharArray());

        assertThat(settings.keyType()).isEqualTo(CaKeyType.RSA_3072);
        assertThat(settings.subjects().root().getName()).isEqualTo("CN=CardRenew Root CA,O=CardRenew,C=TW");
        assertThat(settings.subjects().issuing().getName()).isEqualTo("CN=CardRenew Issuing CA,O=CardRenew,C=TW");
        assertThat(settings.lifetimes()).isEqualTo(CaLifetimes.DEFAULT);
        assertThat(settings.urls()).isEqualTo(PublicationUrls.NONE);
    }

    @Test
    void secretsNeverAppearInTheTextOfTheSettings() {
        CaSettings file = CaSettings.pkcs12(Path.of("data/ca.p12"), "file-secret".toCharArray());
        CaSettings hsm = CaSettings.hsm(Path.of("/usr/lib/libhsm.so"), "CA", "pin-secret".toCharArray());

        assertThat(file.toString()).contains("data/ca.p12").doesNotContain("file-secret");
        assertThat(hsm.toString()).contains("'CA'").doesNotContain("pin-secret");
    }

    @Test
    void rootAndIssuingCaMustHaveDifferentNames() {
        assertThatThrownBy(() -> CaSubjects.of("CN=CA, C=TW", "CN=CA, C=TW"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuingCaCannotBeConfiguredToOutliveTheRoot() {
        assertThatThrownBy(() -> new CaLifetimes(Duration.ofDays(365), Duration.ofDays(366)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CaLifetimes(Duration.ofDays(365), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
