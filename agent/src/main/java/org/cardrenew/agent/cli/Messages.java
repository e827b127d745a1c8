package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

/** The CLI's sentences in zh-TW (default) or English, from {@code messages_<lang>.properties}. */
final class Messages {

    static final String DEFAULT_LANGUAGE = "zh-TW";

    private final String language;
    private final Properties texts = new Properties();

    private Messages(String language) {
        this.language = language;
        String file = "messages_" + language.replace('-', '_') + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing " + file);
            }
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** zh-TW or en; anything else is a usage error reported by the caller. */
    static boolean supported(String language) {
        return "zh-TW".equals(language) || "en".equals(language);
    }

    static Messages of(String language) {
        return new Messages(supported(language) ? language : DEFAULT_LANGUAGE);
    }

    String language() {
        return language;
    }

    String get(String key, Object... args) {
        String pattern = texts.getProperty(key, key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }
}
