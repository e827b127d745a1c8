package org.cardrenew.protocol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** A small blocking client of the RA API. Thread-safe. */
public final class RaClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final RaTransport transport;
    private final JsonMapper json;
    private final String language;

    /**
     * @param baseUrl  the server, e.g. {@code https://renew.example.gov.tw}
     * @param language preferred language of refusal messages ({@code zh-TW} or {@code en})
     */
    public RaClient(URI baseUrl, String language) {
        this(
                baseUrl,
                language,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Over HTTPS verified against {@code trust} (the agent and the command line). */
    public RaClient(URI baseUrl, String language, ServerTrust trust) {
        this(
                baseUrl,
                language,
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .sslContext(trust.sslContext())
                        .build());
    }

    public RaClient(URI baseUrl, String language, HttpClient http) {
        this(baseUrl, language, RaTransport.of(http, TIMEOUT));
    }

    public RaClient(URI baseUrl, String language, RaTransport transport) {
        String s = baseUrl.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.transport = transport;
        this.json = JsonMapper.builder().build();
        this.language = language == null ? Locale.getDefault().toLanguageTag() : language;
    }

    public ChallengeResponse challenge() throws IOException, RaRefusedException {
        return send("POST", ApiPaths.CHALLENGES, null, null, ChallengeResponse.class);
    }

    /**
     * The CA chain as a PEM bundle: a call without side effects that proves the server is reached and trusted
     * before anything is done on a card.
     */
    public String caCertificates() throws IOException {
        RaTransport.Reply reply =
                exchange("GET", ApiPaths.CA_CERTIFICATES, Map.of("Accept", "application/pem-certificate-chain"), null);
        if (reply.status() != 200) {
            throw new RaUnreachableException("HTTP " + reply.status() + " for the CA certificates from " + base, null);
        }
        return new String(reply.body(), StandardCharsets.US_ASCII);
    }

    public StatusResponse status(StatusRequest request) throws IOException, RaRefusedException {
        return send("POST", ApiPaths.STATUS, request, null, StatusResponse.class);
    }

    public RenewalResponse renew(RenewalRequest request) throws IOException, RaRefusedException {
        return send("POST", ApiPaths.RENEWALS, request, null, RenewalResponse.class);
    }

    /** Fetches a renewal again (resume), authorised by the renewal token of its status answer. */
    public RenewalResponse renewal(String renewalId, String renewalToken) throws IOException, RaRefusedException {
        return send("GET", ApiPaths.renewal(renewalId), null, renewalToken, RenewalResponse.class);
    }

    /** Confirms the certificates are on the card; the answer names them by serial (the card holds them). */
    public ConfirmationResponse confirm(String renewalId, ConfirmationRequest request)
            throws IOException, RaRefusedException {
        return send("POST", ApiPaths.confirmation(renewalId), request, null, ConfirmationResponse.class);
    }

    public EnrollmentResponse enroll(EnrollmentRequest request, String adminToken)
            throws IOException, RaRefusedException {
        return send("POST", ApiPaths.ENROLLMENTS, request, adminToken, EnrollmentResponse.class);
    }

    private RaTransport.Reply exchange(String method, String path, Map<String, String> headers, byte[] content)
            throws IOException {
        try {
            return transport.exchange(method, URI.create(base + path), headers, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaUnreachableException("interrupted while calling " + base, e);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A failed exchange: the TLS verification (its own code: running again cannot help), or the network. */
    private IOException unreachable(IOException e) {
        return ServerNotTrustedException.of(e, base)
                .map(IOException.class::cast)
                .orElseGet(() -> new RaUnreachableException("cannot reach " + base + ": " + e.getMessage(), e));
    }

    private <T> T send(String method, String path, Object body, String bearer, Class<T> type)
            throws IOException, RaRefusedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Accept-Language", language);
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        byte[] content = null;
        if (body != null) {
            headers.put("Content-Type", "application/json");
            content = json.writeValueAsBytes(body);
        }
        RaTransport.Reply response = exchange(method, path, headers, content);
        int status = response.status();
        try {
            if (status >= 200 && status < 300) {
                return json.readValue(response.body(), type);
            }
            ApiError error = json.readValue(response.body(), ApiError.class);
            if (error.code() == null) {
                throw new RaUnreachableException("HTTP " + status + " without an RA error from " + base, null);
            }
            throw new RaRefusedException(status, error);
        } catch (JacksonException e) {
            throw new RaUnreachableException("HTTP " + status + " from " + base + " is not an RA answer", e);
        }
    }
}
