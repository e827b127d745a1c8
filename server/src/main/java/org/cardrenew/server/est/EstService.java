package org.cardrenew.server.est;

import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardAuthenticator;
import org.cardrenew.server.ra.CardRefusal;
import org.cardrenew.server.ra.CardUse;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.standards.SplitRenewals;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;

/**
 * EST simplereenroll (RFC 7030 §4.2.2) for card pairs. The TLS client certificate is the card's current signing
 * certificate. EST carries one CSR per request, so a pair takes two requests, one per label: the first half waits
 * (202, §4.2.3) until the second arrives; then the RA renews the pair exactly as for its own API (same policy,
 * state machine, audit), and every later request for either half returns its certificate. EST has no
 * confirmation message: the renewal stays ISSUED, like an RA API renewal before its confirmation, until the card
 * confirms through the RA API or CMP certConf.
 */
@Service
public class EstService {

    /** What to answer: the certificate, or "come back later". */
    public record Outcome(X509Certificate certificate, boolean pending) {}

    private final CardAuthenticator authenticator;
    private final SplitRenewals split;
    private final AuditLog audit;

    public EstService(CardAuthenticator authenticator, SplitRenewals split, AuditLog audit) {
        this.authenticator = authenticator;
        this.split = split;
        this.audit = audit;
    }

    public Outcome simpleReenroll(
            X509Certificate clientCertificate, CertificateKind kind, String base64Csr, ClientAddress from) {
        StoredCertificate current;
        try {
            // RFC 7030 §3.3.2: the TLS client certificate is the card's current signing certificate; the handshake
            // proved possession of its key.
            current =
                    authenticator.byProtocol(clientCertificate, CardUse.RENEWAL).signing();
        } catch (CardRefusal e) {
            throw refuse(e.code(), e.serial(), "the TLS client certificate: " + e.getMessage(), from);
        }
        CertificationRequest request;
        try {
            request = CertificationRequest.parse(
                    base64Csr, kind == CertificateKind.SIGNING ? "signing CSR" : "encryption CSR");
        } catch (RaException e) {
            throw refuse(e.code(), current.serial(), e.getMessage(), from);
        }
        Optional<RenewalResponse> renewal = split.offer(current, kind, request, null, from);
        if (renewal.isEmpty()) {
            audit.record(AuditEvent.success(current.serial(), AuditAction.RENEWAL_PENDING, from)
                    .code("EST_PENDING")
                    .certificate(current.serial())
                    .detail("EST: " + kind + " request kept until the other half arrives"));
            return new Outcome(null, true);
        }
        String issued = kind == CertificateKind.SIGNING
                ? renewal.get().signingCertificate()
                : renewal.get().encryptionCertificate();
        return new Outcome(certificate(issued), false);
    }

    private RaException refuse(ErrorCode code, String serial, String detail, ClientAddress from) {
        audit.record(
                AuditEvent.refused(AuditEvent.cardOrAnonymous(serial), AuditAction.RENEWAL_REFUSED, code.name(), from)
                        .certificate(serial)
                        .detail("EST: " + detail));
        return new RaException(code, detail);
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("the RA returned an unreadable certificate", e);
        }
    }
}
