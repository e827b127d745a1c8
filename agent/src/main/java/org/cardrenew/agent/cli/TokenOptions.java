package org.cardrenew.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that works on a card: card, PIN source, output. Never a PIN value. */
class TokenOptions {

    @Option(names = "--module", required = true, paramLabel = "LIB", description = "The card's PKCS#11 library")
    Path module;

    @Option(names = "--token", required = true, paramLabel = "LABEL", description = "The card's token label")
    String token;

    @Option(names = "--pin-file", paramLabel = "FILE", description = "Read the PIN from this file (first line)")
    Path pinFile;

    @Option(names = "--pin-env", paramLabel = "VAR", description = "Read the PIN from this environment variable")
    String pinEnv;

    @Option(names = "--json", description = "Print one JSON object as the result; progress goes to standard error")
    boolean json;

    @Option(
            names = "--lang",
            paramLabel = "zh-TW|en",
            defaultValue = Messages.DEFAULT_LANGUAGE,
            description = "Language of messages (default zh-TW)")
    String language;
}
