package org.cardrenew.agent.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A flat JSON object from the page. The {@code pin} member is copied straight from the parser's character
 * buffer into a char array, never into a String, and the raw bytes are zeroed once parsed, so the PIN
 * exists in one array the card zeroes after use.
 */
final class RequestBody implements AutoCloseable {

    static final int MAX_BYTES = 16 * 1024;

    private final Map<String, String> fields;
    private char[] pin;

    private RequestBody(Map<String, String> fields, char[] pin) {
        this.fields = fields;
        this.pin = pin;
    }

    static RequestBody read(InputStream in, JsonMapper json) throws IOException, BadRequest {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        try {
            if (bytes.length > MAX_BYTES) {
                throw new BadRequest("the request body is too large");
            }
            if (bytes.length == 0) {
                return new RequestBody(Map.of(), null);
            }
            return parse(bytes, json);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static RequestBody parse(byte[] bytes, JsonMapper json) throws BadRequest {
        Map<String, String> fields = new HashMap<>();
        char[] pin = null;
        boolean read = false;
        try (JsonParser parser = json.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequest("the request body is not a JSON object");
            }
            JsonToken t = parser.nextToken();
            for (; t == JsonToken.PROPERTY_NAME; t = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.VALUE_STRING) {
                    throw new BadRequest("'" + name + "' must be a string");
                }
                if (name.equals("pin")) {
                    if (pin != null) {
                        Arrays.fill(pin, '\0');
                    }
                    pin = Arrays.copyOfRange(
                            parser.getStringCharacters(),
                            parser.getStringOffset(),
                            parser.getStringOffset() + parser.getStringLength());
                } else {
                    fields.put(name, parser.getString());
                }
            }
            // One object and nothing after it: a body with more is not what the page sends.
            if (t != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new BadRequest("the request body is not one JSON object");
            }
            read = true;
            return new RequestBody(fields, pin);
        } catch (JacksonException e) {
            throw new BadRequest("the request body is not valid JSON");
        } finally {
            if (!read && pin != null) {
                Arrays.fill(pin, '\0');
            }
        }
    }

    String field(String name) {
        return fields.get(name);
    }

    /** Hands the PIN over (the receiver zeroes it); null when absent or empty. */
    char[] takePin() {
        char[] taken = pin;
        pin = null;
        if (taken != null && taken.length == 0) {
            return null;
        }
        return taken;
    }

    @Override
    public void close() {
        if (pin != null) {
            Arrays.fill(pin, '\0');
            pin = null;
        }
    }

    /** The page sent something the bridge cannot use. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
