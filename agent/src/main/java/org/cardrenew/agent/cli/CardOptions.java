package org.cardrenew.agent.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a command that also talks to the server. */
final class CardOptions extends TokenOptions {

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "The CardRenew server, e.g. http://localhost:8080")
    URI server;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description =
                    "Also trust the root(s) in this file (PEM or DER) for the server's TLS certificate, besides the system's")
    Path caFile;
}
