package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cardrenew.agent.AgentVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cardrenew status|renew|enroll|history|agent}: the holder's and the admin's command line, and the card bridge. Exit codes are
 * {@link ExitCode}. Run with {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}
 * (the shaded jar's manifest carries it for {@code java -jar}).
 */
@Command(
        name = "cardrenew",
        mixinStandardHelpOptions = true,
        versionProvider = CardRenewCommand.Version.class,
        description = "Renew the certificates on a PKCS#11 smart card online",
        footer = {
            "",
            "Exit codes: 0 OK, 1 unexpected, 2 usage, 3 not renewable,",
            "4 wrong PIN, 5 PIN locked, 6 no token, 7 refused by server,",
            "8 network error, 9 card error, 10 server not trusted (TLS),",
            "11 card full"
        })
public final class CardRenewCommand implements Runnable {

    private final PrintStream out;

    private CardRenewCommand(PrintStream out) {
        this.out = out;
    }

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    /**
     * Runs one command line and returns its exit code; never calls System.exit.
     *
     * @param env where --pin-env and --admin-token-env are looked up
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new CardRenewCommand(out))
                .addSubcommand(new StatusCommand(out, err, env))
                .addSubcommand(new RenewCommand(out, err, env))
                .addSubcommand(new EnrollCommand(out, err, env))
                .addSubcommand("history", HistoryCommand.withSubcommands(out, err, env))
                .addSubcommand(new AgentCommand(out, err, env));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    /** {@code --version}: the version the build wrote, the same the bridge reports. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cardrenew " + AgentVersion.current()};
        }
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv()));
    }
}
