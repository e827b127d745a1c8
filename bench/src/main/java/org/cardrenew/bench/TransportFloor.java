package org.cardrenew.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least a renewal's HTTP exchanges can cost on this machine: HTTP/1.1 over kept-alive loopback connections,
 * blocking sockets, a thread per connection, the request's headers read up to the blank line and its body by its
 * {@code Content-Length}, a fixed answer of the asked size; client and server in this JVM, measured by its CPU (issue
 * 14, session 18). No routing, JSON, security, metrics or thread hand-off: the part of a renewal's CPU that no web
 * stack can avoid.
 */
final class TransportFloor {

    /** One call of a renewal: the bytes of its request and of its answer, headers included. */
    record Exchange(int requestBytes, int answerBytes) {}

    /** A renewal's four calls as the bench measured them (session 18): challenge, status, renewal, confirmation. */
    static final List<Exchange> RENEWAL =
            List.of(new Exchange(125, 349), new Exchange(1519, 820), new Exchange(1026, 2600), new Exchange(358, 453));

    /** What one run measured. */
    record Result(long exchanges, int exchangesPerRenewal, double seconds, double cpuSeconds) {

        double perSecond() {
            return exchanges / seconds;
        }

        /** CPU of client and server per renewal (its exchanges), in milliseconds. */
        double millisPerRenewal() {
            return exchanges == 0 ? Double.NaN : 1000 * cpuSeconds * exchangesPerRenewal / exchanges;
        }
    }

    private TransportFloor() {}

    /** Runs the calls of {@code renewal} in turn on {@code threads} connections, for {@code warm} and then {@code timed}. */
    static Result run(List<Exchange> renewal, int threads, Duration warm, Duration timed)
            throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicLong exchanges = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        // The acceptor adds the server threads while this thread may read the list.
        List<Thread> threadsStarted = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> accept(listener, stop, failures, threadsStarted), "floor-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            for (int t = 0; t < threads; t++) {
                Thread client = new Thread(
                        () -> call(listener.getLocalPort(), renewal, stop, counting, exchanges, failures),
                        "floor-client-" + t);
                threadsStarted.add(client);
                client.start();
            }
            Thread.sleep(warm.toMillis());
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            counting.set(true);
            Thread.sleep(timed.toMillis());
            counting.set(false);
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            for (Thread t : List.copyOf(threadsStarted)) {
                t.join(5_000);
            }
            if (!failures.isEmpty()) {
                throw new IOException(
                        "the transport floor's exchanges failed: "
                                + failures.get(0).getMessage(),
                        failures.get(0));
            }
            return new Result(exchanges.get(), renewal.size(), seconds, cpu);
        }
    }

    private static void accept(
            ServerSocket listener, AtomicBoolean stop, List<Throwable> failures, List<Thread> threadsStarted) {
        while (!stop.get()) {
            try {
                Socket s = listener.accept();
                Thread server = new Thread(() -> serve(s, failures), "floor-server");
                server.setDaemon(true);
                threadsStarted.add(server);
                server.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers until the client closes the connection (clients stop between exchanges, never within one). */
    private static void serve(Socket socket, List<Throwable> failures) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = socket.getOutputStream();
            byte[] body = new byte[8192];
            Map<Integer, byte[]> answers = new HashMap<>();
            while (true) {
                Headers h = Headers.read(in);
                if (h == null) {
                    return; // the client closed
                }
                skip(in, h.contentLength, body);
                out.write(answers.computeIfAbsent(h.answerLength, TransportFloor::answer));
                out.flush();
            }
        } catch (SocketException closed) {
            // the client went away as the run stopped
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
    }

    private static void call(
            int port,
            List<Exchange> renewal,
            AtomicBoolean stop,
            AtomicBoolean counting,
            AtomicLong exchanges,
            List<Throwable> failures) {
        List<byte[]> requests = new ArrayList<>();
        for (Exchange e : renewal) {
            requests.add(request(e));
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = socket.getOutputStream();
            byte[] body = new byte[8192];
            while (!stop.get()) {
                for (byte[] request : requests) {
                    out.write(request);
                    out.flush();
                    Headers h = Headers.read(in);
                    if (h == null) {
                        throw new IOException("the server closed the connection");
                    }
                    skip(in, h.contentLength, body);
                    if (counting.get()) {
                        exchanges.incrementAndGet();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
    }

    /** A request of {@code e.requestBytes} in all that asks for an answer of {@code e.answerBytes} in all. */
    static byte[] request(Exchange e) {
        return message(
                "POST /api/v1/floor HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "X-Answer-Length: " + e.answerBytes() + "\r\n",
                e.requestBytes());
    }

    /** An answer of {@code total} bytes in all. */
    static byte[] answer(int total) {
        return message("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", total);
    }

    /**
     * {@code head} (the first line and headers, each ending in CRLF), {@code Content-Length}, the blank line and a
     * body of 'x' that makes the message {@code total} bytes long (or the body empty, if the head alone is longer).
     */
    private static byte[] message(String head, int total) {
        int body = 0;
        // The length's own digits change the header's length: two passes settle it.
        for (int pass = 0; pass < 2; pass++) {
            body = Math.max(0, total - head.length() - ("Content-Length: " + body + "\r\n\r\n").length());
        }
        return (head + "Content-Length: " + body + "\r\n\r\n" + "x".repeat(body)).getBytes(StandardCharsets.US_ASCII);
    }

    private static void skip(InputStream in, int length, byte[] buffer) throws IOException {
        int left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, Math.min(left, buffer.length));
            if (n < 0) {
                throw new IOException("the body ended early");
            }
            left -= n;
        }
    }

    /** The two headers the floor reads; the rest are skipped. */
    private record Headers(int contentLength, int answerLength) {

        /** Reads header lines up to the blank one; null when the stream ended before a message began. */
        static Headers read(InputStream in) throws IOException {
            int contentLength = 0;
            int answerLength = 0;
            StringBuilder line = new StringBuilder(64);
            boolean first = true;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (first && line.isEmpty()) {
                        return null;
                    }
                    throw new IOException("the headers ended early");
                }
                if (b != '\n') {
                    if (b != '\r') {
                        line.append((char) b);
                    }
                    continue;
                }
                if (line.isEmpty()) {
                    return new Headers(contentLength, answerLength);
                }
                String text = line.toString();
                if (text.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Integer.parseInt(text.substring(15).trim());
                } else if (text.regionMatches(true, 0, "X-Answer-Length:", 0, 16)) {
                    answerLength = Integer.parseInt(text.substring(16).trim());
                }
                line.setLength(0);
                first = false;
            }
        }
    }
}
