package org.cardrenew.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cardrenew.agent.card.Card;
import org.cardrenew.testkit.Token;

/**
 * Another CardRenew process with a card open, as the bridge would have it while the holder runs {@code cardrenew}: a
 * JVM of its own (the card lock is per process) that opens the token, says so, and keeps it open until its standard
 * input closes or it is killed.
 */
public final class OtherAgentProcess implements AutoCloseable {

    private final Process process;

    private OtherAgentProcess(Process process) {
        this.process = process;
    }

    /** Starts the process and returns once it has the card open. */
    public static OtherAgentProcess holding(Token token) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // What bin/cardrenew gives the agent's JVM to reach the JDK's PKCS#11 wrapper.
                        "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OtherAgentProcess.class.getName(),
                        token.library(),
                        token.label())
                .redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", token.conf().toString());
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"open".equals(line)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the other agent process did not open the card: " + line);
        }
        return new OtherAgentProcess(process);
    }

    /** Ends the process the way a crash would: the operating system releases what it held. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try (Card card = Card.open(Path.of(args[0]), args[1])) {
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Keeps the card open until the test closes standard input.
            }
        }
    }
}
