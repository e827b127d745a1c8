package org.cardrenew.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.protocol.Subject;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small RA for agent tests on a JDK HttpServer, speaking the protocol module's wire types and issuing
 * with {@link TestCa}. It keeps the rules the agent relies on: the status signature is checked, renewals
 * are idempotent by public keys, a renewal in progress is resumable with its token, confirmation needs the
 * new signing key. It counts issued certificates so tests can prove nothing is issued twice.
 */
public final class FakeRa implements AutoCloseable {

    public static final String ADMIN_TOKEN = "admin-secret";

    private final TestCa ca;
    private final Instant now;
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private final Map<X509Certificate, Renewal> renewals = new ConcurrentHashMap<>();
    private final Map<X509Certificate, Boolean> known = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> closedKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Old certificate → the id of its last renewal closed unconfirmed: the real RA names it in a status answer. */
    private final Map<X509Certificate, String> closedRenewals = new java.util.concurrent.ConcurrentHashMap<>();

    private volatile CertificateStatus policy = CertificateStatus.RENEWABLE;
    private volatile boolean caDownOnce;

    private static final class Renewal {
        final String id = UUID.randomUUID().toString();
        final String token = UUID.randomUUID().toString();
        PublicKey signingKey;
        PublicKey encryptionKey;
        X509Certificate signing;
        X509Certificate encryption;
        RenewalState state;
        Instant previousNotAfter;
    }

    public FakeRa(TestCa ca, Instant now) throws IOException {
        this.ca = ca;
        this.now = now;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes a certificate known, as issued by this RA. */
    public void register(X509Certificate certificate) {
        known.put(certificate, true);
    }

    public void register(Map<KeyPurpose, X509Certificate> pair) {
        pair.values().forEach(this::register);
    }

    /** The status of a known, not yet renewed certificate. */
    public void policy(CertificateStatus status) {
        this.policy = status;
    }

    /** The next renewal is recorded (REQUESTED) but its issuance fails with CA_UNAVAILABLE, once. */
    public void caDownOnce() {
        this.caDownOnce = true;
    }

    /**
     * Closes every ISSUED renewal as the RA does one never confirmed within its confirm-within: forgotten by the old
     * certificate (renewable again), its keys refused with RENEWAL_EXPIRED from now on.
     */
    public void closeUnconfirmed() {
        synchronized (renewals) {
            renewals.entrySet().removeIf(e -> {
                if (e.getValue().state != RenewalState.ISSUED) {
                    return false;
                }
                closedRenewals.put(e.getKey(), e.getValue().id);
                closedKeys.add(b64(e.getValue().signingKey.getEncoded()));
                closedKeys.add(b64(e.getValue().encryptionKey.getEncoded()));
                return true;
            });
        }
    }

    public int issuedCertificates() {
        return issued.get();
    }

    public List<RenewalState> renewalStates() {
        return renewals.values().stream().map(r -> r.state).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(exchange);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Object answer;
            if (path.equals("/api/v1/ca/certificates")) {
                byte[] pem = ("-----BEGIN CERTIFICATE-----\n"
                                + Base64.getMimeEncoder()
                                        .encodeToString(ca.certificate().getEncoded())
                                + "\n-----END CERTIFICATE-----\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, pem.length);
                exchange.getResponseBody().write(pem);
                return;
            }
            if (path.equals("/api/v1/challenges")) {
                String id = UUID.randomUUID().toString();
                String nonce = UUID.randomUUID().toString();
                challenges.put(id, nonce);
                answer = new ChallengeResponse(id, nonce, now.plus(Duration.ofMinutes(5)));
            } else if (path.equals("/api/v1/status")) {
                answer = status(json.readValue(exchange.getRequestBody(), StatusRequest.class));
            } else if (path.equals("/api/v1/renewals") && method.equals("POST")) {
                answer = renew(json.readValue(exchange.getRequestBody(), RenewalRequest.class));
            } else if (path.startsWith("/api/v1/renewals/") && path.endsWith("/confirmation")) {
                String id = path.substring("/api/v1/renewals/".length(), path.length() - "/confirmation".length());
                answer = confirm(id, json.readValue(exchange.getRequestBody(), ConfirmationRequest.class));
            } else if (path.startsWith("/api/v1/renewals/") && method.equals("GET")) {
                answer = fetch(path.substring("/api/v1/renewals/".length()), bearer(exchange));
            } else if (path.equals("/api/v1/admin/enrollments")) {
                if (!ADMIN_TOKEN.equals(bearer(exchange))) {
                    throw new Refusal(401, "ADMIN_UNAUTHORIZED");
                }
                answer = enroll(json.readValue(exchange.getRequestBody(), EnrollmentRequest.class));
            } else {
                throw new Refusal(404, "REQUEST_INVALID");
            }
            send(exchange, 200, answer);
        } catch (Refusal r) {
            send(exchange, r.status, new ApiError(r.code, "refused: " + r.code));
        } catch (Exception e) {
            send(exchange, 500, new ApiError("INTERNAL_ERROR", String.valueOf(e)));
        }
    }

    private StatusResponse status(StatusRequest request) throws Exception {
        String nonce = challenges.remove(request.challengeId());
        if (nonce == null) {
            throw new Refusal(400, "CHALLENGE_UNKNOWN");
        }
        X509Certificate cert = parse(request.certificate());
        if (!known.containsKey(cert)) {
            return response(CertificateStatus.UNKNOWN, cert, null);
        }
        if (!verify(
                cert.getPublicKey(), request.signatureAlgorithm(), SignedPayloads.status(nonce), request.signature())) {
            throw new Refusal(401, "SIGNATURE_INVALID");
        }
        Renewal open = renewals.get(cert);
        if (open != null) {
            return response(
                    open.state == RenewalState.COMPLETED
                            ? CertificateStatus.ALREADY_RENEWED
                            : CertificateStatus.RENEWAL_IN_PROGRESS,
                    cert,
                    open);
        }
        // As the real RA (FakeRaContractTest): before the renewal window opens (30 days before the end here) a
        // certificate is not yet renewable, whatever the policy; so a card just renewed is not renewed again.
        boolean windowOpen = !now.isBefore(cert.getNotAfter().toInstant().minus(Duration.ofDays(30)));
        CertificateStatus status =
                policy == CertificateStatus.RENEWABLE && !windowOpen ? CertificateStatus.NOT_YET_RENEWABLE : policy;
        StatusResponse answer = response(status, cert, null);
        String closed = closedRenewals.get(cert);
        if (status == CertificateStatus.RENEWABLE && closed != null) {
            // As the real RA: a renewable card whose last renewal was closed unconfirmed hears which one.
            return new StatusResponse(
                    answer.status(),
                    answer.subject(),
                    answer.certificateSerial(),
                    answer.notBefore(),
                    answer.notAfter(),
                    answer.renewalWindowOpens(),
                    answer.renewalToken(),
                    answer.renewalTokenExpiresAt(),
                    closed,
                    RenewalState.EXPIRED_UNCONFIRMED,
                    answer.message());
        }
        return answer;
    }

    private StatusResponse response(CertificateStatus status, X509Certificate cert, Renewal renewal) {
        String token = null;
        if (status == CertificateStatus.RENEWABLE) {
            token = "token-" + cert.getSerialNumber().toString(16);
        } else if (status == CertificateStatus.RENEWAL_IN_PROGRESS) {
            token = renewal.token;
        }
        X500Principal s = cert.getSubjectX500Principal();
        return new StatusResponse(
                status,
                new Subject("TW", null, null, null, s.getName()),
                cert.getSerialNumber().toString(16),
                cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(),
                cert.getNotAfter().toInstant().minus(Duration.ofDays(30)),
                token,
                token == null ? null : now.plusSeconds(900),
                renewal == null ? null : renewal.id,
                renewal == null ? null : renewal.state,
                "status " + status);
    }

    private RenewalResponse renew(RenewalRequest request) throws Exception {
        X509Certificate old = known.keySet().stream()
                .filter(c -> request.renewalToken()
                                .equals("token-" + c.getSerialNumber().toString(16))
                        || (renewals.get(c) != null && renewals.get(c).token.equals(request.renewalToken())))
                .findFirst()
                .orElseThrow(() -> new Refusal(401, "RENEWAL_TOKEN_INVALID"));
        PKCS10CertificationRequest sig = csr(request.signingCsr(), old);
        PKCS10CertificationRequest enc = csr(request.encryptionCsr(), old);
        PublicKey sigKey = new JcaPKCS10CertificationRequest(sig).getPublicKey();
        PublicKey encKey = new JcaPKCS10CertificationRequest(enc).getPublicKey();
        if (closedKeys.contains(b64(sigKey.getEncoded())) || closedKeys.contains(b64(encKey.getEncoded()))) {
            throw new Refusal(410, "RENEWAL_EXPIRED");
        }
        synchronized (renewals) {
            Renewal r = renewals.get(old);
            if (r != null
                    && (!Arrays.equals(r.signingKey.getEncoded(), sigKey.getEncoded())
                            || !Arrays.equals(r.encryptionKey.getEncoded(), encKey.getEncoded()))) {
                throw new Refusal(409, "RENEWAL_IN_PROGRESS");
            }
            if (r != null && r.state != RenewalState.REQUESTED) {
                return answer(r);
            }
            if (r == null) {
                r = new Renewal();
                r.signingKey = sigKey;
                r.encryptionKey = encKey;
                r.state = RenewalState.REQUESTED;
                r.previousNotAfter = old.getNotAfter().toInstant();
                renewals.put(old, r);
            }
            if (caDownOnce) {
                caDownOnce = false;
                throw new Refusal(503, "CA_UNAVAILABLE");
            }
            X500Principal subject = old.getSubjectX500Principal();
            r.signing = ca.issue(sigKey, subject, KeyPurpose.SIGNING, now, now.plus(Duration.ofDays(365)));
            r.encryption = ca.issue(encKey, subject, KeyPurpose.ENCRYPTION, now, now.plus(Duration.ofDays(365)));
            issued.addAndGet(2);
            r.state = RenewalState.ISSUED;
            return answer(r);
        }
    }

    private RenewalResponse fetch(String id, String token) throws Exception {
        Renewal r = byId(id);
        if (!r.token.equals(token)) {
            throw new Refusal(401, "RENEWAL_TOKEN_INVALID");
        }
        return answer(r);
    }

    private ConfirmationResponse confirm(String id, ConfirmationRequest request) throws Exception {
        Renewal r = byId(id);
        if (!verify(
                r.signing.getPublicKey(),
                request.signatureAlgorithm(),
                SignedPayloads.confirmation(id),
                request.signature())) {
            throw new Refusal(400, "CONFIRMATION_INVALID");
        }
        r.state = RenewalState.COMPLETED;
        register(r.signing);
        register(r.encryption);
        // Like the RA: the certificates by serial, not again (the card holds them).
        return new ConfirmationResponse(
                r.id,
                r.state,
                r.signing.getSerialNumber().toString(16),
                r.encryption.getSerialNumber().toString(16),
                r.signing.getNotBefore().toInstant(),
                r.signing.getNotAfter().toInstant(),
                r.previousNotAfter);
    }

    private EnrollmentResponse enroll(EnrollmentRequest request) throws Exception {
        PublicKey sigKey = new JcaPKCS10CertificationRequest(csr(request.signingCsr(), null)).getPublicKey();
        PublicKey encKey = new JcaPKCS10CertificationRequest(csr(request.encryptionCsr(), null)).getPublicKey();
        X500Principal subject = TestCa.holder(request.organization(), request.name(), request.holderId());
        Instant notBefore = request.notBefore() != null ? request.notBefore() : now;
        Instant notAfter = request.notAfter() != null ? request.notAfter() : now.plus(Duration.ofDays(365));
        X509Certificate sig = ca.issue(sigKey, subject, KeyPurpose.SIGNING, notBefore, notAfter);
        X509Certificate enc = ca.issue(encKey, subject, KeyPurpose.ENCRYPTION, notBefore, notAfter);
        issued.addAndGet(2);
        register(sig);
        register(enc);
        return new EnrollmentResponse(
                request.holderId(),
                b64(sig.getEncoded()),
                b64(enc.getEncoded()),
                List.of(b64(ca.certificate().getEncoded())),
                notBefore,
                notAfter);
    }

    private Renewal byId(String id) throws Refusal {
        return renewals.values().stream()
                .filter(r -> r.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new Refusal(404, "RENEWAL_NOT_FOUND"));
    }

    private RenewalResponse answer(Renewal r) throws Exception {
        if (r.signing == null) {
            // As the RA answers a client that does not ask for the chain (?include=chain): no chain.
            return new RenewalResponse(r.id, r.state, null, null, null, null, null, r.previousNotAfter);
        }
        return new RenewalResponse(
                r.id,
                r.state,
                b64(r.signing.getEncoded()),
                b64(r.encryption.getEncoded()),
                null,
                r.signing.getNotBefore().toInstant(),
                r.signing.getNotAfter().toInstant(),
                r.previousNotAfter);
    }

    private PKCS10CertificationRequest csr(String base64, X509Certificate old) throws Exception {
        PKCS10CertificationRequest csr =
                new PKCS10CertificationRequest(Base64.getDecoder().decode(base64));
        if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(csr.getSubjectPublicKeyInfo()))) {
            throw new Refusal(400, "CSR_SIGNATURE_INVALID");
        }
        if (old != null
                && !Arrays.equals(
                        csr.getSubject().getEncoded(),
                        old.getSubjectX500Principal().getEncoded())) {
            throw new Refusal(400, "CSR_SUBJECT_MISMATCH");
        }
        return csr;
    }

    private static boolean verify(PublicKey key, String algorithm, byte[] data, String signature) throws Exception {
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(key);
        v.update(data);
        return v.verify(Base64.getDecoder().decode(signature));
    }

    private static X509Certificate parse(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static String bearer(HttpExchange exchange) {
        String h = exchange.getRequestHeaders().getFirst("Authorization");
        return h == null ? null : h.replaceFirst("^Bearer ", "");
    }

    private static String b64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static final class Refusal extends Exception {
        final int status;
        final String code;

        Refusal(int status, String code) {
            super(code);
            this.status = status;
            this.code = code;
        }
    }
}
