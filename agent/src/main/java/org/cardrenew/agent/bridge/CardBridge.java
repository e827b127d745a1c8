package org.cardrenew.agent.bridge;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cardrenew.agent.AgentVersion;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.renewal.RenewalException;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.report.CertificateReport;
import org.cardrenew.agent.report.HistoryReport;
import org.cardrenew.protocol.RaClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The loopback HTTP bridge between the renewal page and the card. Every request must come from an allowed
 * Origin (checked before anything else, so a foreign page never reaches the card and never gets an
 * {@code Access-Control-Allow-Origin}) to a loopback Host name (against DNS rebinding). CORS preflights
 * are answered for allowed origins, with {@code Access-Control-Allow-Private-Network: true} when the
 * browser asks (Private Network Access: a public page calling 127.0.0.1). One operation per token at a
 * time: a second one waits briefly, then gets {@code TOKEN_BUSY}.
 *
 * <pre>
 * GET  /v1/bridge                    who is here: product, API and agent version (detection by the page)
 * GET  /v1/tokens                    cards present: label, PIN flags, certificates, unfinished renewal
 * POST /v1/sessions                  {token, pin, lang} starts a renewal session (status first)
 * GET  /v1/sessions/{id}[?after=N]   the session; with after, waits up to 10 s for a change past version N
 * POST /v1/sessions/{id}/renew       the holder's go: renew, or finish an interrupted renewal
 * POST /v1/sessions/{id}/pin         {pin} the second PIN, before the certificates are written
 * POST /v1/sessions/{id}/cancel      cancel while waiting for the holder (any content type: sendBeacon)
 * POST /v1/sign-in                   {token, pin, nonce} an officer's console sign-in proof (see SignInProof)
 * POST /v1/history/remove            {token, pin, serial} removes one old decryption key (see HistoryRemoval)
 * </pre>
 */
public final class CardBridge implements AutoCloseable {

    static final String VERSION = "1";
    private static final Duration TOKEN_WAIT = Duration.ofSeconds(2);
    private static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final Duration KEEP_FINISHED = Duration.ofMinutes(10);
    private static final Pattern SESSION = Pattern.compile("/v1/sessions/([A-Za-z0-9_-]{10,40})(/renew|/pin|/cancel)?");
    // A console nonce (base64url or hex): never arbitrary text, so /v1/sign-in signs nothing but a console sign-in
    // proof.
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_=+/-]{16,128}");
    private static final Set<String> LANGUAGES = Set.of("zh-TW", "en");
    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,64}");

    private final BridgeSettings settings;
    private final Duration holderWait;
    private final Clock clock;
    private final PrintStream log;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Semaphore> tokens = new ConcurrentHashMap<>();
    private final Map<String, RenewalSession> sessions = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private CardBridge(BridgeSettings settings, Duration holderWait, Clock clock, PrintStream log) throws IOException {
        this.settings = settings;
        this.holderWait = holderWait;
        this.clock = clock;
        this.log = log;
        // Loopback only: the bridge is never reachable from the network.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.port()), 0);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "cardrenew-bridge-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param holderWait how long a session waits for the holder's go or second PIN before it cancels itself
     */
    public static CardBridge start(BridgeSettings settings, Duration holderWait, Clock clock, PrintStream log)
            throws IOException {
        CardBridge bridge = new CardBridge(settings, holderWait, clock, log);
        bridge.server.start();
        return bridge;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        for (RenewalSession session : sessions.values()) {
            session.cancel();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int code;
        try {
            code = route(exchange);
        } catch (Exception e) {
            code = send(exchange, 500, BridgeError.of("UNEXPECTED", e.getClass().getSimpleName()));
        } finally {
            exchange.close();
        }
        // Method, path, origin and outcome only: bodies (PINs) are never logged.
        log.printf(
                "%s %s %s from %s%n",
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                code,
                exchange.getRequestHeaders().getFirst("Origin"));
    }

    private int route(HttpExchange exchange) throws IOException, InterruptedException {
        Headers in = exchange.getRequestHeaders();
        Optional<String> origin = settings.origins().match(in.getFirst("Origin"));
        if (origin.isEmpty()) {
            // Refused before anything else, without Access-Control-Allow-Origin: the browser hides even this answer.
            return send(
                    exchange,
                    403,
                    BridgeError.of("ORIGIN_REFUSED", "this page's origin is not allowed to use the card bridge"));
        }
        Headers out = exchange.getResponseHeaders();
        out.set("Access-Control-Allow-Origin", origin.get());
        out.add("Vary", "Origin");
        if (!loopbackHost(in.getFirst("Host"))) {
            return send(
                    exchange,
                    403,
                    BridgeError.of("HOST_REFUSED", "the bridge answers only to 127.0.0.1 and localhost"));
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (method.equals("OPTIONS")) {
            return preflight(exchange);
        }
        String path = exchange.getRequestURI().getPath();
        // JSON only, so every browser call is preflighted; except cancel, which a closing page sends with
        // navigator.sendBeacon (text/plain, no body that matters) to free the card at once.
        if (method.equals("POST") && !json(in.getFirst("Content-Type")) && !path.endsWith("/cancel")) {
            return send(exchange, 415, BridgeError.of("BAD_REQUEST", "send application/json"));
        }
        if (method.equals("GET") && path.equals("/v1/bridge")) {
            return send(exchange, 200, new Hello("cardrenew-agent", VERSION, AgentVersion.current()));
        }
        if (method.equals("GET") && path.equals("/v1/tokens")) {
            return send(exchange, 200, new Tokens(tokens()));
        }
        if (method.equals("POST") && path.equals("/v1/sessions")) {
            return withBody(exchange, body -> create(exchange, origin.get(), body));
        }
        if (method.equals("POST") && path.equals("/v1/sign-in")) {
            return withBody(exchange, body -> signIn(exchange, body));
        }
        if (method.equals("POST") && path.equals("/v1/history/remove")) {
            return withBody(exchange, body -> removeHistory(exchange, body));
        }
        Matcher m = SESSION.matcher(path);
        if (m.matches()) {
            RenewalSession session = sessions.get(m.group(1));
            if (session == null) {
                return send(
                        exchange,
                        404,
                        BridgeError.of("NO_SESSION", "no such session (it ended, or the bridge restarted)"));
            }
            String action = m.group(2);
            if (action == null && method.equals("GET")) {
                return send(
                        exchange, 200, poll(session, exchange.getRequestURI().getQuery()));
            }
            if (action != null && method.equals("POST")) {
                return act(exchange, session, action);
            }
        }
        return send(exchange, 404, BridgeError.of("NOT_FOUND", "no such endpoint"));
    }

    private int preflight(HttpExchange exchange) throws IOException {
        Headers in = exchange.getRequestHeaders();
        Headers out = exchange.getResponseHeaders();
        out.set("Access-Control-Allow-Methods", "GET, POST");
        out.set("Access-Control-Allow-Headers", "Content-Type, Accept-Language");
        out.set("Access-Control-Max-Age", "600");
        if ("true".equalsIgnoreCase(in.getFirst("Access-Control-Request-Private-Network"))) {
            // Private Network Access: this listed page may reach the holder's own machine.
            out.set("Access-Control-Allow-Private-Network", "true");
        }
        exchange.sendResponseHeaders(204, -1);
        return 204;
    }

    /** {@code GET /v1/bridge}: who is here, for the page's detection. */
    private record Hello(String product, String api, String version) {}

    /** {@code GET /v1/tokens}. */
    private record Tokens(List<TokenReport> tokens) {}

    private List<TokenReport> tokens() throws InterruptedException {
        List<TokenReport> list = new ArrayList<>();
        List<String> labels;
        try {
            labels = Card.labels(settings.module());
        } catch (CardException e) {
            list.add(TokenReport.failed(null, BridgeError.of(e)));
            return list;
        }
        for (String label : labels) {
            Semaphore lock = lock(label);
            if (!lock.tryAcquire(TOKEN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                list.add(TokenReport.busy(label));
                continue;
            }
            try (Card card = Card.open(settings.module(), label)) {
                // Certificates are public objects: readable without the PIN.
                CardContents contents = card.read();
                list.add(new TokenReport(
                        label,
                        false,
                        card.pinStatus(),
                        contents.entries().stream().map(CertificateReport::of).toList(),
                        HistoryReport.list(contents.history()),
                        contents.hasNewGeneration(KeyPurpose.SIGNING)
                                || contents.hasNewGeneration(KeyPurpose.ENCRYPTION)
                                || !contents.strayPublicKeys().isEmpty(),
                        null));
            } catch (CardException e) {
                list.add(TokenReport.failed(label, BridgeError.of(e)));
            } finally {
                lock.release();
            }
        }
        return list;
    }

    /**
     * The card's lock, taken for one operation; {@code null} when another operation still holds it after
     * {@link #TOKEN_WAIT}, and then the PIN is zeroed here, since it will not be used.
     */
    private Semaphore claim(String token, char[] pin) throws InterruptedException {
        Semaphore lock = lock(token);
        if (lock.tryAcquire(TOKEN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return lock;
        }
        Arrays.fill(pin, '\0');
        return null;
    }

    /** A handler of a request's JSON body; the body (and its PIN) is closed after it. */
    private interface BodyHandler {
        int handle(RequestBody body) throws IOException, InterruptedException;
    }

    /**
     * Reads the request's JSON body (bounded; the PIN straight into a {@code char[]}), hands it to {@code handler}
     * and zeroes what is left of it; a body that is too large or not a JSON object of strings is answered here,
     * 400 {@code BAD_REQUEST}, for every endpoint.
     */
    private int withBody(HttpExchange exchange, BodyHandler handler) throws IOException, InterruptedException {
        try (RequestBody body = RequestBody.read(exchange.getRequestBody(), json)) {
            return handler.handle(body);
        } catch (RequestBody.BadRequest e) {
            return send(exchange, 400, BridgeError.of("BAD_REQUEST", e.getMessage()));
        }
    }

    private int create(HttpExchange exchange, String origin, RequestBody body)
            throws IOException, InterruptedException {
        purgeFinished();
        String token = body.field("token");
        if (token == null || token.isBlank()) {
            return send(exchange, 400, BridgeError.of("BAD_REQUEST", "name the card: token"));
        }
        String lang =
                body.field("lang") != null && LANGUAGES.contains(body.field("lang")) ? body.field("lang") : "zh-TW";
        char[] pin = body.takePin();
        if (pin == null) {
            return send(exchange, 400, BridgeError.of("PIN_REQUIRED", "the PIN is missing"));
        }
        Semaphore lock = claim(token, pin);
        if (lock == null) {
            return send(exchange, 409, BridgeError.of("TOKEN_BUSY", "the card is in use by another operation"));
        }
        RenewalSession session;
        try {
            // The RA is the origin the holder's page came from: the bridge talks to no other server.
            RenewalSession.Renewal renewal = (listener, pins) -> {
                try (Card card = Card.open(settings.module(), token)) {
                    RaClient ra = new RaClient(URI.create(origin), lang, settings.trust());
                    return new RenewalFlow(ra, listener, settings.history()).renew(card, pins, null);
                }
            };
            session = new RenewalSession(token, renewal, pin, holderWait, clock, lock::release);
            sessions.put(session.id(), session);
            Thread worker = new Thread(session, "cardrenew-session");
            worker.setDaemon(true);
            worker.start();
        } catch (RuntimeException e) {
            Arrays.fill(pin, '\0');
            lock.release();
            throw e;
        }
        return send(exchange, 201, session.snapshot());
    }

    private int signIn(HttpExchange exchange, RequestBody body) throws IOException, InterruptedException {
        String token = body.field("token");
        String nonce = body.field("nonce");
        if (token == null
                || token.isBlank()
                || nonce == null
                || !NONCE.matcher(nonce).matches()) {
            return send(
                    exchange,
                    400,
                    BridgeError.of("BAD_REQUEST", "name the card and the console's nonce: token, nonce"));
        }
        return withPin(exchange, body, token, error -> error.code().equals("NO_TOKEN") ? 404 : 401, pin -> {
            Optional<SignInProof> proof = SignInProof.sign(settings.module(), token, pin, nonce);
            return proof.isPresent()
                    ? send(exchange, 200, proof.get())
                    : send(
                            exchange,
                            409,
                            BridgeError.of("NO_CERTIFICATE", "the card holds no signing certificate with its key"));
        });
    }

    private int removeHistory(HttpExchange exchange, RequestBody body) throws IOException, InterruptedException {
        String token = body.field("token");
        String serial = body.field("serial");
        if (token == null
                || token.isBlank()
                || serial == null
                || !SERIAL.matcher(serial).matches()) {
            return send(
                    exchange, 400, BridgeError.of("BAD_REQUEST", "name the card and the old key: token, serial (hex)"));
        }
        ToIntFunction<BridgeError> status = error -> switch (error.code()) {
            case "NO_TOKEN", "CARD_CONTENTS" -> 404;
            case "WRONG_PIN", "PIN_LOCKED" -> 401;
            default -> 409;
        };
        return withPin(
                exchange,
                body,
                token,
                status,
                pin -> send(exchange, 200, HistoryRemoval.remove(settings.module(), token, pin, serial)));
    }

    /** A card operation given the request's PIN; the caller zeroes the PIN. */
    private interface PinOperation {
        int run(char[] pin) throws IOException, CardException, RenewalException;
    }

    /**
     * Runs one operation that needs the request's PIN while holding the card's lock, then zeroes the PIN and
     * frees the card. A card failure is answered with its {@link BridgeError} and the status {@code status} gives.
     */
    private int withPin(
            HttpExchange exchange,
            RequestBody body,
            String token,
            ToIntFunction<BridgeError> status,
            PinOperation operation)
            throws IOException, InterruptedException {
        char[] pin = body.takePin();
        if (pin == null) {
            return send(exchange, 400, BridgeError.of("PIN_REQUIRED", "the PIN is missing"));
        }
        Semaphore lock = claim(token, pin);
        if (lock == null) {
            return send(exchange, 409, BridgeError.of("TOKEN_BUSY", "the card is in use by another operation"));
        }
        try {
            return operation.run(pin);
        } catch (CardException | RenewalException e) {
            BridgeError error = BridgeError.of(e);
            return send(exchange, status.applyAsInt(error), error);
        } finally {
            Arrays.fill(pin, '\0');
            lock.release();
        }
    }

    private SessionReport poll(RenewalSession session, String query) throws InterruptedException {
        if (query != null && query.startsWith("after=")) {
            try {
                return session.awaitChange(Long.parseLong(query.substring(6)), LONG_POLL);
            } catch (NumberFormatException e) {
                // a bad cursor: answer at once
            }
        }
        return session.snapshot();
    }

    private int act(HttpExchange exchange, RenewalSession session, String action)
            throws IOException, InterruptedException {
        if (action.equals("/cancel")) {
            return session.cancel()
                    ? send(exchange, 200, session.snapshot())
                    : send(exchange, 409, BridgeError.of("WRONG_STATE", "the card is being changed: wait for the end"));
        }
        return withBody(exchange, body -> {
            boolean accepted;
            if (action.equals("/renew")) {
                accepted = session.proceed();
            } else {
                char[] pin = body.takePin();
                if (pin == null) {
                    return send(exchange, 400, BridgeError.of("PIN_REQUIRED", "the PIN is missing"));
                }
                accepted = session.confirm(pin);
                if (!accepted) {
                    Arrays.fill(pin, '\0');
                }
            }
            return accepted
                    ? send(exchange, 200, session.snapshot())
                    : send(exchange, 409, BridgeError.of("WRONG_STATE", "the session is not waiting for that"));
        });
    }

    private Semaphore lock(String token) {
        return tokens.computeIfAbsent(token, t -> new Semaphore(1));
    }

    private void purgeFinished() {
        Instant cutoff = clock.instant().minus(KEEP_FINISHED);
        sessions.values()
                .removeIf(s ->
                        s.isFinal() && s.finishedAt() != null && s.finishedAt().isBefore(cutoff));
    }

    private boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String port = ":" + port();
        return h.equals("127.0.0.1" + port) || h.equals("localhost" + port) || h.equals("[::1]" + port);
    }

    private static boolean json(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private int send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        Headers out = exchange.getResponseHeaders();
        out.set("Content-Type", "application/json; charset=utf-8");
        out.set("Cache-Control", "no-store");
        out.set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
        return status;
    }
}
