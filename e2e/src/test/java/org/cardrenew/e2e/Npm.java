package org.cardrenew.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test tools from npm (axe-core, puppeteer-core), installed once into a directory under target: the npm
 * registry is the only download, and never a browser ({@code PUPPETEER_SKIP_DOWNLOAD}).
 */
final class Npm {

    private Npm() {}

    /** {@code npm install PACKAGE@VERSION} into {@code dir} unless already there; returns dir/node_modules. */
    static Path install(Path dir, String name, String version) throws IOException, InterruptedException {
        Path modules = dir.toAbsolutePath().resolve("node_modules");
        if (!Files.isRegularFile(modules.resolve(name).resolve("package.json"))) {
            Files.createDirectories(dir);
            Path log = dir.resolve("npm.log");
            ProcessBuilder npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--no-save",
                            "--prefix",
                            dir.toAbsolutePath().toString(),
                            name + "@" + version)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            npm.environment().put("PUPPETEER_SKIP_DOWNLOAD", "true");
            Process p = npm.start();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("npm install " + name + " failed: " + Files.readString(log));
            }
        }
        return modules;
    }
}
