package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cardrenew.protocol.RaTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAliveTransportTest {

    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] in = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Accept-Language") + " "
                    + new String(in, StandardCharsets.UTF_8));
            byte[] out = ("{\"echo\":" + in.length + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, out.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(out);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(409, 0); // 0: chunked
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("{\"code\":".getBytes(StandardCharsets.UTF_8));
                body.flush();
                body.write("\"X\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsTheRequestAndReadsContentLengthAnswersOnOneConnection() throws Exception {
        KeepAliveTransport transport = new KeepAliveTransport(5000);
        for (int i = 0; i < 3; i++) {
            RaTransport.Reply reply = transport.exchange(
                    "POST",
                    base.resolve("/fixed"),
                    Map.of("Accept-Language", "zh-TW", "Content-Type", "application/json"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(reply.status()).isEqualTo(201);
            assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"echo\":7}");
        }
        assertThat(seen).containsOnly("POST zh-TW {\"a\":1}").hasSize(3);
        assertThat(clientPorts).as("one kept-alive connection").hasSize(1);
    }

    @Test
    void readsChunkedAnswers() throws Exception {
        RaTransport.Reply reply =
                new KeepAliveTransport(5000).exchange("POST", base.resolve("/chunked"), Map.of(), null);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":\"X\"}");
    }

    @Test
    void aConnectionTheServerClosedIsReplacedOnce() throws Exception {
        KeepAliveTransport transport = new KeepAliveTransport(5000);
        assertThat(transport
                        .exchange("POST", base.resolve("/fixed"), Map.of(), new byte[1])
                        .status())
                .isEqualTo(201);
        int port = base.getPort();
        server.stop(0); // closes the kept-alive connection
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/fixed", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        assertThat(transport
                        .exchange("POST", base.resolve("/fixed"), Map.of(), new byte[1])
                        .status())
                .isEqualTo(204);
    }

    @Test
    void countsTheBytesOfEachKindOfCallWithIdentifiersFolded() throws Exception {
        KeepAliveTransport transport = new KeepAliveTransport(5000);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        transport.exchange("POST", base.resolve("/fixed"), Map.of(), body);
        transport.exchange("POST", base.resolve("/fixed"), Map.of(), body);

        List<KeepAliveTransport.Traffic> traffic = transport.traffic();

        assertThat(traffic).hasSize(1);
        KeepAliveTransport.Traffic fixed = traffic.get(0);
        assertThat(fixed.call()).isEqualTo("POST /fixed");
        assertThat(fixed.calls()).isEqualTo(2);
        String head = "POST /fixed HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nContent-Length: 7\r\n\r\n";
        assertThat(fixed.requestBytes()).isEqualTo(head.length() + body.length);
        assertThat(fixed.answerBodyBytes()).isEqualTo("{\"echo\":7}".length());
        assertThat(fixed.answerBytes()).isGreaterThan(fixed.answerBodyBytes());
        assertThat(KeepAliveTransport.template(
                        "POST", "/api/v1/renewals/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/confirmation"))
                .isEqualTo("POST /api/v1/renewals/{id}/confirmation");
        transport.resetTraffic();
        assertThat(transport.traffic()).isEmpty();
    }
}
