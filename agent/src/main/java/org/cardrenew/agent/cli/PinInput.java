package org.cardrenew.agent.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import org.cardrenew.agent.renewal.PinPurpose;
import org.cardrenew.agent.renewal.PinSource;

/**
 * The PIN for a command: from --pin-file, --pin-env, or a no-echo terminal prompt; never from the command
 * line. Automation (file, environment) keeps the login session for the write; at a terminal the holder
 * confirms the write with the PIN again (design step 6). Zeroes what it holds on close.
 */
final class PinInput implements PinSource, AutoCloseable {

    private final char[] automated;
    private final Console console;
    private final Messages messages;

    private PinInput(char[] automated, Console console, Messages messages) {
        this.automated = automated;
        this.console = console;
        this.messages = messages;
    }

    static PinInput from(TokenOptions options, Map<String, String> env, Messages messages) throws UsageException {
        if (options.pinFile != null && options.pinEnv != null) {
            throw new UsageException(messages.get("usage.pinBoth"));
        }
        if (options.pinFile != null) {
            try {
                byte[] bytes = Files.readAllBytes(options.pinFile);
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
                Arrays.fill(bytes, (byte) 0);
                int end = chars.limit();
                int newline = -1;
                for (int i = 0; i < end; i++) {
                    if (chars.get(i) == '\n' || chars.get(i) == '\r') {
                        newline = i;
                        break;
                    }
                }
                char[] pin = Arrays.copyOf(chars.array(), newline < 0 ? end : newline);
                Arrays.fill(chars.array(), '\0');
                if (pin.length == 0) {
                    throw new UsageException(messages.get("usage.pinFile", options.pinFile));
                }
                return new PinInput(pin, null, messages);
            } catch (IOException e) {
                throw new UsageException(messages.get("usage.pinFile", options.pinFile));
            }
        }
        if (options.pinEnv != null) {
            String value = env.get(options.pinEnv);
            if (value == null || value.isEmpty()) {
                throw new UsageException(messages.get("usage.pinEnvEmpty", options.pinEnv));
            }
            return new PinInput(value.toCharArray(), null, messages);
        }
        Console console = System.console();
        if (console == null) {
            throw new UsageException(messages.get("usage.noConsole"));
        }
        return new PinInput(null, console, messages);
    }

    @Override
    public char[] pin(PinPurpose purpose) {
        if (automated != null) {
            return purpose == PinPurpose.LOGIN ? automated.clone() : null;
        }
        char[] typed =
                console.readPassword("%s", messages.get(purpose == PinPurpose.LOGIN ? "pin.prompt" : "pin.confirm"));
        if (typed == null || typed.length == 0) {
            // An empty answer or end of input is no attempt: it must not cost a try on the card's counter.
            throw new NoPinException(messages.get("usage.noPin"));
        }
        return typed;
    }

    /** The holder entered no PIN; exits {@link ExitCode#USAGE} without touching the card. */
    static final class NoPinException extends RuntimeException {
        NoPinException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        if (automated != null) {
            Arrays.fill(automated, '\0');
        }
    }
}
