package org.cardrenew.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cardrenew.testkit.SoftHsm;
import org.junit.jupiter.api.Test;

/** A launcher that forgets the JVM option gets a failure that names it, not an IllegalAccessError. */
class MissingJvmOptionTest {

    @Test
    void loadingWithoutTheOptionFailsNamingIt() throws IOException, InterruptedException {
        String library = SoftHsm.forThisJvm().library();
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoadWithoutTheJvmOption.class.getName(),
                        library)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("IOException: the JVM needs the option " + Pkcs11Library.JVM_OPTION);
        assertThat(p.exitValue()).isZero();
    }
}
