package org.cardrenew.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the independent peers of our tests (openssl, pkcs11-tool, softhsm2-util) and returns their output. */
public final class Tools {

    /** Long enough for RSA key generation on SoftHSM2 under load, short enough to end a hung build. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private Tools() {}

    /** Runs a command; throws with its output when it exits non-zero. */
    public static String run(List<String> command, Map<String, String> environment) {
        Result r = execute(command, environment, null);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Runs a command in a directory and returns exit code and combined output, whatever the exit code. */
    public static Result execute(List<String> command, Map<String, String> environment, Path directory) {
        return execute(command, environment, directory, DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command and returns exit code and combined output; a command still running after {@code timeout} is
     * killed and reported. The output goes to a file, not a pipe: reading a pipe to its end would wait for a hung
     * tool forever, before any timeout could apply.
     */
    public static Result execute(
            List<String> command, Map<String, String> environment, Path directory, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("cardrenew-tool-", ".out");
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(environment);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout.toSeconds()
                        + " s; its output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** Exit code and combined standard output and error. */
    public record Result(int exitCode, String output) {}
}
