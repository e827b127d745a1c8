package org.cardrenew.protocol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
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
        this(baseUrl, language, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
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

    public RenewalResponse confirm(String renewalId, ConfirmationRequest request) throws IOException, RaRefusedException {
        return send("POST", ApiPaths.confirmation(renewalId), request, null, RenewalResponse.class);
    }

    public EnrollmentResponse enroll(EnrollmentRequest request, String adminToken) throws IOException, RaRefusedException {
        return send("POST", ApiPaths.ENROLLMENTS, request, adminToken, EnrollmentResponse.class);
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
        RaTransport.Reply response;
        try {
            response = transport.exchange(method, URI.create(base + path), headers, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RaUnreachableException("interrupted while calling " + base, e);
        } catch (IOException e) {
            throw new RaUnreachableException("cannot reach " + base + ": " + e.getMessage(), e);
        }
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
