package org.cardrenew.server.est;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardPairs;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.standards.RenewalEligibility;
import org.cardrenew.server.standards.SplitRenewals;
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

    private final CertificateAuthority ca;
    private final CertificateRepository certificates;
    private final CardPairs pairs;
    private final SplitRenewals split;
    private final RenewalEligibility eligibility;
    private final AuditLog audit;

    public EstService(CertificateAuthority ca, CertificateRepository certificates, CardPairs pairs,
            SplitRenewals split, RenewalEligibility eligibility, AuditLog audit) {
        this.eligibility = eligibility;
        this.ca = ca;
        this.certificates = certificates;
        this.pairs = pairs;
        this.split = split;
        this.audit = audit;
    }

    public Outcome simpleReenroll(X509Certificate clientCertificate, CertificateKind kind, String base64Csr,
            ClientAddress from) {
        StoredCertificate current = authenticate(clientCertificate, from);
        Optional<ErrorCode> refusal = eligibility.refusal(pairs.load(current.pairId()));
        if (refusal.isPresent()) {
            throw refuse(refusal.get(), current.serial(), "certificate is not renewable now", from);
        }
        CertificationRequest request;
        try {
            request = CertificationRequest.parse(base64Csr, kind == CertificateKind.SIGNING ? "signing CSR" : "encryption CSR");
        } catch (RaException e) {
            throw refuse(e.code(), current.serial(), e.getMessage(), from);
        }
        Optional<RenewalResponse> renewal = split.offer(current, kind, request, null, from);
        if (renewal.isEmpty()) {
            audit.record(new AuditEvent(current.serial(), AuditAction.RENEWAL_PENDING, AuditOutcome.SUCCESS,
                    "EST_PENDING", current.serial(), null, "EST: " + kind + " request kept until the other half arrives",
                    from));
            return new Outcome(null, true);
        }
        String issued = kind == CertificateKind.SIGNING
                ? renewal.get().signingCertificate() : renewal.get().encryptionCertificate();
        return new Outcome(certificate(issued), false);
    }

    /** RFC 7030 §3.3.2: the client certificate must be a signing certificate this CA issued and the store knows. */
    private StoredCertificate authenticate(X509Certificate certificate, ClientAddress from) {
        if (certificate == null) {
            throw refuse(ErrorCode.CERTIFICATE_UNKNOWN, null, "no TLS client certificate", from);
        }
        String serial = certificate.getSerialNumber().toString(16);
        Optional<StoredCertificate> stored = ca.isIssuerOf(certificate) ? certificates.findBySerial(serial) : Optional.empty();
        if (stored.isEmpty() || stored.get().kind() != CertificateKind.SIGNING
                || !Arrays.equals(stored.get().der(), der(certificate))) {
            throw refuse(ErrorCode.CERTIFICATE_UNKNOWN, serial, "the TLS client certificate is not a signing "
                    + "certificate issued here", from);
        }
        return stored.get();
    }

    private RaException refuse(ErrorCode code, String serial, String detail, ClientAddress from) {
        audit.record(new AuditEvent(serial == null ? AuditEvent.ANONYMOUS : serial, AuditAction.RENEWAL_REFUSED,
                AuditOutcome.REFUSED, code.name(), serial, null, "EST: " + detail, from));
        return new RaException(code, detail);
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("the RA returned an unreadable certificate", e);
        }
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
