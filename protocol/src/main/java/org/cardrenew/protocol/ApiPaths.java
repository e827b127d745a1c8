package org.cardrenew.protocol;

/** The RA API's paths, relative to the server's base URL. */
public final class ApiPaths {

    public static final String BASE = "/api/v1";
    public static final String CHALLENGES = BASE + "/challenges";
    public static final String STATUS = BASE + "/status";
    public static final String RENEWALS = BASE + "/renewals";
    /** GET with the renewal token as bearer: the renewal and, once issued, its certificates. */
    public static final String RENEWAL = RENEWALS + "/{id}";
    /**
     * Query parameter of {@link #RENEWALS} (POST) and {@link #RENEWAL} (GET) asking for the CA chain in the answer
     * ({@code ?include=chain}); without it the answer leaves the chain out.
     */
    public static final String INCLUDE = "include";
    /** The one value {@link #INCLUDE} takes. */
    public static final String INCLUDE_CHAIN = "chain";

    public static final String CONFIRMATION = RENEWAL + "/confirmation";
    public static final String ENROLLMENTS = BASE + "/admin/enrollments";
    /** The CA chain as a PEM bundle, issuing CA first. */
    public static final String CA_CERTIFICATES = BASE + "/ca/certificates";

    private ApiPaths() {}

    public static String renewal(String id) {
        return RENEWAL.replace("{id}", id);
    }

    public static String confirmation(String id) {
        return CONFIRMATION.replace("{id}", id);
    }
}
