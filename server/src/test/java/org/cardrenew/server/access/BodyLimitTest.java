package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13: a 200 MB body (streamed, never allocated) is refused with 413 REQUEST_TOO_LARGE long before it is sent
 * whole, with or without Content-Length; a body within the limit still reaches its endpoint.
 */
@OnH2
class BodyLimitTest extends ApiTestBase {

    private static final long HUGE = 200L * 1024 * 1024;
    private static final byte[] BLOCK = new byte[64 * 1024];

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @CsvSource({
        "/ocsp, application/ocsp-request, false",
        "/ocsp, application/ocsp-request, true",
        "/.well-known/cmp, application/pkixcmp, false",
        "/.well-known/cmp, application/pkixcmp, true",
        "/.well-known/est/simplereenroll, application/pkcs10, true",
        "/api/v1/st%61tus, application/json, true",
        "/api/v1/renewals, application/json, false"
    })
    void twoHundredMegabytesAreRefusedWith413BeforeTheyAreSent(String path, String type, boolean chunked)
            throws Exception {
        long start = System.nanoTime();
        Answer answer = post(path, type, chunked, HUGE);

        assertThat(answer.status()).startsWith("HTTP/1.1 413");
        assertThat(answer.body()).contains("\"code\":\"REQUEST_TOO_LARGE\"");
        assertThat(answer.sent()).as("bytes the client got to send").isLessThan(HUGE / 10);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0} chunked={1}")
    @CsvSource({"/ocsp, false", "/ocsp, true"})
    void aBodyWithinTheLimitReachesTheEndpoint(String path, boolean chunked) throws Exception {
        Answer answer = post(path, "application/ocsp-request", chunked, 1000);

        assertThat(answer.status())
                .as("garbage is answered by the OCSP responder (malformedRequest), not refused")
                .startsWith("HTTP/1.1 200");
    }

    record Answer(String status, String body, long sent) {}

    /** Streams {@code size} zero bytes as the body from a second thread while reading the answer. */
    private Answer post(String path, String type, boolean chunked, long size) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n")
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < size) {
                        int n = (int) Math.min(BLOCK.length, size - sent.get());
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(BLOCK, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent.addAndGet(n);
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // expected once the server has answered 413 and closed the connection
                }
            });
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            long sentWhenAnswered = sent.get();
            StringBuilder rest = new StringBuilder();
            for (String line; (line = in.readLine()) != null && rest.length() < 10_000; ) {
                rest.append(line).append('\n');
            }
            socket.close();
            sender.get();
            return new Answer(status, rest.toString(), sentWhenAnswered);
        }
    }
}
