package org.cardrenew.protocol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * How {@link RaClient} moves one request and its answer. The agent uses the JDK's {@link HttpClient}
 * ({@link #of(HttpClient)}); a load generator may plug in a leaner one. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RaTransport {

    /** The status code and the body of an answer. */
    record Reply(int status, byte[] body) {}

    /**
     * @param headers request headers (no Content-Length: the transport sets it from the body)
     * @param body    the request body, or {@code null} for none
     */
    Reply exchange(String method, URI uri, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException;

    /** Over the JDK's HTTP client, each request with this timeout. */
    static RaTransport of(HttpClient http, Duration timeout) {
        return (method, uri, headers, body) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
            headers.forEach(request::header);
            request.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body());
        };
    }
}
