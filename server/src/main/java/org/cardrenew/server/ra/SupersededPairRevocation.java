package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With cardrenew.renewal.revoke-old-after set, revokes superseded pairs once their grace period has passed
 * (RFC 5280 §5.3.1 reason {@code superseded}). Safe on several nodes: the conditional updates let one node win.
 * The revocation is recorded in the store; publishing it (CRL, OCSP) is the CA's part.
 */
@Component
public class SupersededPairRevocation {

    static final String REASON = "superseded";

    private final CardPairRepository pairs;
    private final CertificateRepository certificates;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public SupersededPairRevocation(
            CardPairRepository pairs,
            CertificateRepository certificates,
            PlatformTransactionManager transactions,
            AuditLog audit,
            Clock clock) {
        this.pairs = pairs;
        this.certificates = certificates;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
    }

    /** Revokes every pair that is due; returns how many this call revoked. */
    @Scheduled(
            initialDelayString = "${cardrenew.renewal.revocation-check-interval:PT1H}",
            fixedDelayString = "${cardrenew.renewal.revocation-check-interval:PT1H}")
    public int revokeDue() {
        Instant now = clock.instant();
        int revoked = 0;
        for (PairId pair : pairs.dueForRevocation(now)) {
            Boolean won = transaction.execute(status -> {
                if (!pairs.markRevoked(pair)) {
                    return false;
                }
                certificates.revokePair(pair, now, REASON);
                return true;
            });
            if (Boolean.TRUE.equals(won)) {
                revoked++;
                List<String> serials = certificates.findByPair(pair).stream()
                        .map(StoredCertificate::serial)
                        .toList();
                audit.record(AuditEvent.success(AuditEvent.SYSTEM, AuditAction.PAIR_REVOKED, null)
                        .code(REASON)
                        .certificates(serials)
                        .detail("grace period after renewal ended"));
            }
        }
        return revoked;
    }
}
