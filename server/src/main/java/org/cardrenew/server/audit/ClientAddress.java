package org.cardrenew.server.audit;

/** The network address a request came from, as the servlet container saw it. */
public record ClientAddress(String value) {

    public static final ClientAddress UNKNOWN = new ClientAddress("unknown");

    @Override
    public String toString() {
        return value;
    }
}
