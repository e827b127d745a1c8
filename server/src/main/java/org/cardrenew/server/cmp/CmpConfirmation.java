package org.cardrenew.server.cmp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CertificateConfirmationContent;
import org.bouncycastle.cert.cmp.CertificateStatus;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardPairs;
import org.cardrenew.server.ra.ConfirmationService;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.standards.SplitRenewals;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/**
 * certConf → pkiConf (RFC 4210 §5.3.18): the client confirms, by the hash of each new certificate, that they are
 * on the card; the RA then completes the renewal.
 */
@Component
class CmpConfirmation {

    private final CardPairs pairs;
    private final CertificateRepository certificates;
    private final ConfirmationService confirmations;
    private final SplitRenewals split;
    private final CmpResponses responses;
    private final AuditLog audit;

    CmpConfirmation(
            CardPairs pairs,
            CertificateRepository certificates,
            ConfirmationService confirmations,
            SplitRenewals split,
            CmpResponses responses,
            AuditLog audit) {
        this.pairs = pairs;
        this.certificates = certificates;
        this.confirmations = confirmations;
        this.split = split;
        this.responses = responses;
        this.audit = audit;
    }

    /** RFC 4210 §5.3.18: certConf after the card write; the renewal completes when both certificates are accepted. */
    byte[] confirm(PKIMessage message, CmpSender sender, ClientAddress from) {
        CertificateConfirmationContent content = CertificateConfirmationContent.fromPKIBody(
                message.getBody(), new DefaultDigestAlgorithmIdentifierFinder());
        CurrentPair pair = pairs.load(sender.signing().pairId());
        Renewal renewal = pair.renewal()
                .filter(r -> r.state() != RenewalState.REQUESTED)
                .orElseThrow(() -> new CmpRefusal(
                        ErrorCode.RENEWAL_NOT_FOUND,
                        PKIFailureInfo.badCertId,
                        "no issued renewal of this card to confirm"));
        List<StoredCertificate> issued = certificates.findByPair(renewal.newPair());
        if (renewal.state() == RenewalState.ISSUED && issued.stream().anyMatch(StoredCertificate::revoked)) {
            // A new certificate was revoked before the card confirmed it: the renewal must not complete.
            throw new CmpRefusal(
                    ErrorCode.CERTIFICATE_REVOKED,
                    PKIFailureInfo.certRevoked,
                    "a certificate of renewal " + renewal.id() + " was revoked before its certConf",
                    sender.signing().serial());
        }
        List<StoredCertificate> confirmed = new ArrayList<>();
        boolean rejected = false;
        for (CertificateStatus status : content.getStatusMessages()) {
            StoredCertificate match = issued.stream()
                    .filter(c -> hashMatches(status, c))
                    .findFirst()
                    .orElseThrow(() -> new CmpRefusal(
                            ErrorCode.CONFIRMATION_INVALID,
                            PKIFailureInfo.badCertId,
                            "certHash " + status.getCertRequestID() + " matches no certificate of renewal "
                                    + renewal.id()));
            confirmed.add(match);
            rejected |= !accepted(status);
        }
        if (rejected) {
            // The client could not use a certificate (card write failed): the renewal stays ISSUED and can resume.
            String serial = sender.signing().serial();
            audit.record(AuditEvent.refused(serial, AuditAction.CONFIRMATION_REFUSED, "CMP_CERT_REJECTED", from)
                    .certificate(serial)
                    .renewal(renewal.id().toString())
                    .detail("CMP certConf: the client rejected a certificate"));
            return responses.pkiConf(message.getHeader());
        }
        java.util.Set<CertificateKind> kinds = new java.util.HashSet<>();
        confirmed.forEach(c -> kinds.add(c.kind()));
        if (kinds.size() < issued.size()) {
            // One half of a pair renewed in two transactions: complete once both halves are confirmed.
            boolean both = false;
            for (CertificateKind kind : kinds) {
                both = split.confirm(sender.signing(), kind);
            }
            if (!both) {
                String serial = sender.signing().serial();
                audit.record(AuditEvent.success(serial, AuditAction.RENEWAL_PENDING, from)
                        .code("CMP_HALF_CONFIRMED")
                        .certificate(serial)
                        .renewal(renewal.id().toString())
                        .detail("CMP certConf: " + kinds + " confirmed, waiting for the other certificate"));
                return responses.pkiConf(message.getHeader());
            }
        }
        confirmations.confirmInstalled(renewal.id().toString(), sender.signing().serial(), from);
        return responses.pkiConf(message.getHeader());
    }

    /**
     * RFC 4210 §5.3.18: an absent statusInfo accepts; otherwise only granted (0) and grantedWithMods (1) do. The
     * INTEGER is compared whole: read as an int, 2^32 would have been "granted".
     */
    private static boolean accepted(CertificateStatus status) {
        if (status.getStatusInfo() == null) {
            return true;
        }
        BigInteger value = status.getStatusInfo().getStatus();
        return value.equals(BigInteger.valueOf(PKIStatus.GRANTED))
                || value.equals(BigInteger.valueOf(PKIStatus.GRANTED_WITH_MODS));
    }

    private static boolean hashMatches(CertificateStatus status, StoredCertificate certificate) {
        try {
            return status.isVerified(
                    new X509CertificateHolder(certificate.der().bytes()),
                    new JcaDigestCalculatorProviderBuilder().build());
        } catch (Exception e) {
            return false;
        }
    }
}
