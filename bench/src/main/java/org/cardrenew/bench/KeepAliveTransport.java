package org.cardrenew.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.cardrenew.protocol.RaTransport;

/**
 * The load generator's HTTP/1.1: one persistent plain-text connection per calling thread, requests written and
 * answers parsed by hand (Content-Length or chunked). It does a fraction of the JDK client's work per request
 * (no executor hand-offs, no async pipeline), so on a two-core machine the simulated holders take less of the CPU the
 * server needs, as real holders on their own computers would. Plain {@code http://} only: the bench's server listens
 * on the loopback interface.
 */
final class KeepAliveTransport implements RaTransport {

    private final int timeoutMillis;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    /** Calls, request bytes and answer bytes (status line, headers and body as sent) by method and path template. */
    private final Map<String, LongAdder[]> traffic = new ConcurrentHashMap<>();

    /** Bytes on the wire per call of one kind, averaged since the last {@link #resetTraffic()}. */
    record Traffic(String call, long calls, double requestBytes, double answerBytes, double answerBodyBytes) {}

    KeepAliveTransport(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    void resetTraffic() {
        traffic.clear();
    }

    /** What went over the wire since the last reset, by call, most frequent first. */
    java.util.List<Traffic> traffic() {
        return traffic.entrySet().stream()
                .map(e -> {
                    long calls = e.getValue()[0].sum();
                    return new Traffic(
                            e.getKey(),
                            calls,
                            (double) e.getValue()[1].sum() / calls,
                            (double) e.getValue()[2].sum() / calls,
                            (double) e.getValue()[3].sum() / calls);
                })
                .sorted(java.util.Comparator.comparingLong(Traffic::calls)
                        .reversed()
                        .thenComparing(Traffic::call))
                .toList();
    }

    /** The path with its identifiers (any segment of 16 or more characters with a digit) as {id}. */
    static String template(String method, String path) {
        java.util.StringJoiner t = new java.util.StringJoiner("/", method + " ", "");
        for (String segment : path.split("/", -1)) {
            t.add(segment.length() >= 16 && segment.chars().anyMatch(Character::isDigit) ? "{id}" : segment);
        }
        return t.toString();
    }

    @Override
    public Reply exchange(String method, URI uri, Map<String, String> headers, byte[] body) throws IOException {
        if (!"http".equals(uri.getScheme())) {
            throw new IOException("the bench's transport speaks plain http only, not " + uri.getScheme());
        }
        Connection reused = connections.get();
        if (reused != null && reused.matches(uri)) {
            try {
                return exchange(reused, method, uri, headers, body);
            } catch (NoAnswer staleConnection) {
                // The server may close a kept-alive connection between two requests; the next request on it then
                // gets no status line at all. Retry once on a new connection; any other failure is reported.
                reused.close();
                connections.remove();
            }
        } else if (reused != null) {
            reused.close();
            connections.remove();
        }
        Connection fresh = new Connection(uri, timeoutMillis);
        connections.set(fresh);
        return exchange(fresh, method, uri, headers, body);
    }

    private Reply exchange(Connection c, String method, URI uri, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(256);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(uri.getHost())
                .append(':')
                .append(uri.getPort())
                .append("\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null || !"GET".equals(method)) {
            head.append("Content-Length: ")
                    .append(body == null ? 0 : body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        long requestBytes = head.length() + (body == null ? 0 : body.length);
        String statusLine;
        try {
            c.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                c.out.write(body);
            }
            c.out.flush();
            statusLine = readLine(c.in);
        } catch (IOException e) {
            throw new NoAnswer(e);
        }
        if (statusLine == null) {
            throw new NoAnswer(new EOFException("connection closed before an answer"));
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        long answerHeadBytes = statusLine.length() + 2;
        for (String line; !(line = readLine(c.in, true)).isEmpty(); ) {
            answerHeadBytes += line.length() + 2;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close |= value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        byte[] answer;
        if (status == 204 || status == 304 || status < 200 || "HEAD".equals(method)) {
            answer = new byte[0]; // RFC 9112 §6.3: no body, whatever the headers say
        } else if (chunked) {
            answer = readChunked(c.in);
        } else if (length >= 0) {
            answer = c.in.readNBytes((int) length);
            if (answer.length != length) {
                throw new IOException("answer ended after " + answer.length + " of " + length + " bytes");
            }
        } else {
            answer = c.in.readAllBytes();
            close = true;
        }
        if (close) {
            c.close();
            connections.remove();
        }
        LongAdder[] counts = traffic.computeIfAbsent(template(method, uri.getRawPath()), k ->
                new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()});
        counts[0].increment();
        counts[1].add(requestBytes);
        counts[2].add(answerHeadBytes + 2 + answer.length);
        counts[3].add(answer.length);
        return new Reply(status, answer);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in, true);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!readLine(in, true).isEmpty()) {
                    // trailers: none expected, skipped
                }
                return all.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new IOException("chunk ended after " + chunk.length + " of " + n + " bytes");
            }
            all.write(chunk);
            readLine(in, true);
        }
    }

    /** A CRLF-terminated line; {@code null} at a clean end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static String readLine(InputStream in, boolean required) throws IOException {
        String line = readLine(in);
        if (line == null && required) {
            throw new IOException("connection closed in the middle of an answer");
        }
        return line;
    }

    /** The request went out (or not) and not one byte came back. */
    private static final class NoAnswer extends IOException {
        NoAnswer(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One kept-alive connection of one thread. */
    private static final class Connection {
        private final String authority;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(URI uri, int timeoutMillis) throws IOException {
            this.authority = uri.getHost() + ":" + uri.getPort();
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        boolean matches(URI uri) {
            return authority.equals(uri.getHost() + ":" + uri.getPort()) && !socket.isClosed();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we give up on
            }
        }
    }
}
