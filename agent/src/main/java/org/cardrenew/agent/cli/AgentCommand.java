package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardrenew agent}: runs the loopback card bridge for the renewal page until stopped (Ctrl+C, or the
 * session's end). Options win over the per-user file; origins from both are allowed.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = {
            "Run the local card bridge for the renewal page in the browser.",
            "Listens on 127.0.0.1 only and answers only the allowed origins."
        },
        footer = {
            "",
            "Configuration file (optional): module=..., port=..., allow-origin=URL[,URL...], ca-file=FILE,",
            "  keep-decryption-keys=N|all",
            "  Linux:   $XDG_CONFIG_HOME/cardrenew/agent.properties (~/.config/...)",
            "  macOS:   ~/Library/Application Support/CardRenew/agent.properties",
            "  Windows: %%APPDATA%%\\CardRenew\\agent.properties"
        })
final class AgentCommand implements Callable<Integer> {

    @Option(
            names = "--module",
            paramLabel = "LIB",
            description = "The card's PKCS#11 library (or 'module' in the file)")
    Path module;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Loopback port (default " + BridgeSettings.DEFAULT_PORT + ", or 'port' in the file)")
    Integer port;

    @Option(
            names = "--allow-origin",
            paramLabel = "URL",
            description =
                    "Origin of the renewal site allowed to use the card, e.g. https://renew.example.gov.tw (repeatable)")
    List<String> origins = new ArrayList<>();

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description =
                    "Also trust the root(s) in this file (PEM or DER) for the renewal site's TLS certificate (or 'ca-file' in the file)")
    Path caFile;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: the per-user file above)")
    Path config;

    @Option(
            names = "--keep-decryption-keys",
            paramLabel = "N|all",
            description =
                    "How many old encryption keys a renewal keeps on the card (or 'keep-decryption-keys' in the file; default all)")
    String keepDecryptionKeys;

    @Option(
            names = "--holder-timeout",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "How long a renewal waits for the holder's go or second PIN (default 300)")
    long holderTimeout;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    AgentCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        Path file = config != null
                ? config
                : BridgeSettings.defaultFile(
                        System.getProperty("os.name", ""), env, Path.of(System.getProperty("user.home", ".")));
        BridgeSettings settings;
        try {
            settings = BridgeSettings.resolve(module, port, origins, caFile, keepDecryptionKeys, file);
        } catch (IllegalArgumentException e) {
            err.println("cardrenew agent: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException e) {
            err.println("cardrenew agent: cannot read " + file + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        CardBridge bridge;
        try {
            bridge =
                    CardBridge.start(settings, Duration.ofSeconds(Math.max(10, holderTimeout)), Clock.systemUTC(), err);
        } catch (BindException e) {
            err.println("cardrenew agent: port " + settings.port() + " is in use (is the agent already running?)");
            return ExitCode.UNEXPECTED.code();
        } catch (IOException e) {
            err.println("cardrenew agent: cannot listen: " + e.getMessage());
            return ExitCode.UNEXPECTED.code();
        }
        out.println("cardrenew agent listening on " + bridge.uri() + " for "
                + String.join(", ", settings.origins().all())
                + " (card library " + settings.module() + "; server certificates trusted from "
                + String.join(", ", settings.trust().sources()) + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            bridge.close();
                            stopped.countDown();
                        },
                        "cardrenew-agent-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bridge.close();
        }
        return ExitCode.OK.code();
    }
}
