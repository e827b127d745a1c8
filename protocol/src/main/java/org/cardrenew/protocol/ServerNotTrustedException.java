package org.cardrenew.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The renewal site was reached, but its TLS connection could not be verified: an unknown issuer, an expired
 * certificate, a certificate for another name, or no TLS agreement at all. Not a network failure: running again
 * cannot help, the desktop team must act (install the agency's root, {@code --ca-file}, fix the URL). Carries the
 * presented chain's subjects and issuers for them.
 */
public class ServerNotTrustedException extends IOException {

    /** One certificate of the presented chain, as the desktop team compares it with the agency's root. */
    public record Presented(String subject, String issuer) {}

    private final URI server;
    private final ServerTrust.Reason reason;
    private final List<Presented> chain;

    public ServerNotTrustedException(URI server, ServerTrust.Reason reason, List<Presented> chain, Throwable cause) {
        super("the TLS connection to " + server + " could not be verified (" + reason + ")", cause);
        this.server = server;
        this.reason = reason;
        this.chain = List.copyOf(chain);
    }

    public URI server() {
        return server;
    }

    public ServerTrust.Reason reason() {
        return reason;
    }

    /** The server's chain as it was presented, its own certificate first; empty when none was (a failed handshake). */
    public List<Presented> chain() {
        return chain;
    }

    /**
     * What a failed exchange with {@code server} was, when it was the TLS verification: a chain refused by a
     * {@link ServerTrust} context (with its reason and certificates), a chain refused by another context, or a TLS
     * handshake that failed for another reason than a dropped connection.
     */
    static Optional<ServerNotTrustedException> of(IOException failure, URI server) {
        boolean tls = false;
        boolean dropped = false;
        ServerTrust.Reason reason = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerTrust.Refused refused) {
                return Optional.of(
                        new ServerNotTrustedException(server, refused.reason(), presented(refused.chain()), failure));
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                reason = ServerTrust.Reason.UNKNOWN_ISSUER;
            }
            if (t instanceof SSLException) {
                tls = true;
            }
            if (t instanceof EOFException || t instanceof SocketException) {
                dropped = true;
            }
        }
        if (reason == null && tls && !dropped) {
            reason = ServerTrust.Reason.HANDSHAKE_FAILED;
        }
        if (reason == null) {
            return Optional.empty();
        }
        return Optional.of(new ServerNotTrustedException(server, reason, List.of(), failure));
    }

    private static List<Presented> presented(List<X509Certificate> chain) {
        return chain.stream()
                .map(c -> new Presented(
                        c.getSubjectX500Principal().toString(),
                        c.getIssuerX500Principal().toString()))
                .toList();
    }
}
