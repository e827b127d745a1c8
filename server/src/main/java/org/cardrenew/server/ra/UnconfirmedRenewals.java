package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes renewals issued but never confirmed within cardrenew.renewal.confirm-within (issue 12): a lost card, or one
 * whose holder gave up after issuance, must not keep a new pair that OCSP calls good for its whole lifetime. The new
 * certificates are revoked (RFC 5280 §5.3.1 cessationOfOperation), the renewal ends EXPIRED_UNCONFIRMED and frees its
 * pair's slot. Runs on a schedule and at request time, before anything is answered for an overdue renewal. Safe on
 * several nodes: the conditional update lets one node win, the others find nothing to do. The CRL picks the
 * revocations up by itself (CrlPublisher republishes when a revocation is newer than the published CRL).
 */
@Component
public class UnconfirmedRenewals {

    static final String REASON = "cessationOfOperation";
    private static final Logger log = LoggerFactory.getLogger(UnconfirmedRenewals.class);

    private final RenewalRepository renewals;
    private final CertificateRepository certificates;
    private final CardPairRepository pairs;
    private final RenewalProperties properties;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public UnconfirmedRenewals(
            RenewalRepository renewals,
            CertificateRepository certificates,
            CardPairRepository pairs,
            RenewalProperties properties,
            PlatformTransactionManager transactions,
            AuditLog audit,
            Clock clock) {
        this.renewals = renewals;
        this.certificates = certificates;
        this.pairs = pairs;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
    }

    /** Closes every renewal that is due; returns how many this call closed. */
    @Scheduled(
            initialDelayString = "${cardrenew.renewal.unconfirmed-check-interval:PT1H}",
            fixedDelayString = "${cardrenew.renewal.unconfirmed-check-interval:PT1H}")
    public int closeDue() {
        int closed = 0;
        for (RenewalId id : renewals.issuedBefore(clock.instant().minus(properties.confirmWithin()))) {
            if (close(id)) {
                closed++;
            }
        }
        if (closed > 0) {
            log.info("closed {} renewals not confirmed within {}", closed, properties.confirmWithin());
        }
        return closed;
    }

    /** Whether the card missed its time to confirm: ISSUED, and confirm-within has passed since issuance. */
    public boolean overdue(Renewal renewal) {
        return renewal.state() == RenewalState.ISSUED
                && renewal.issuedAt() != null
                && clock.instant().isAfter(renewal.issuedAt().plus(properties.confirmWithin()));
    }

    /**
     * The request-time check: closes the renewal if it is overdue. Returns whether it is closed now (by this call or
     * earlier), i.e. whether the caller must refuse with RENEWAL_EXPIRED instead of going on with it.
     */
    public boolean closeIfOverdue(Renewal renewal) {
        if (renewal.state() == RenewalState.EXPIRED_UNCONFIRMED) {
            return true;
        }
        if (!overdue(renewal)) {
            return false;
        }
        close(renewal.id());
        return renewals.find(renewal.id())
                .map(r -> r.state() == RenewalState.EXPIRED_UNCONFIRMED)
                .orElse(false);
    }

    /**
     * A renewal request with either key of a renewal of this pair that was closed unconfirmed (the card resends the
     * CSRs of the keys it generated then): RENEWAL_EXPIRED, so the card discards them and starts afresh.
     */
    public void requireNotClosed(PairId pair, KeyHash signing, KeyHash encryption) {
        if (renewals.closedWithEitherKey(pair, signing, encryption)) {
            throw new RaException(
                    ErrorCode.RENEWAL_EXPIRED,
                    "these keys belong to a renewal of this card that was not " + "confirmed within "
                            + properties.confirmWithin() + " and was closed");
        }
    }

    /** The refusal for a renewal that is closed: what the card gets instead of its certificates or a confirmation. */
    public RaException expired(Renewal renewal) {
        return new RaException(
                ErrorCode.RENEWAL_EXPIRED,
                "renewal " + renewal.id() + " was not confirmed within " + properties.confirmWithin()
                        + "; it is closed and its certificates are revoked");
    }

    private boolean close(RenewalId id) {
        // RFC 5280 §5.1.2.6: CRLs and OCSP carry whole seconds; record what they will say.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Optional<Closed> closed = transaction.execute(status -> {
            Renewal renewal = renewals.lock(id).orElse(null);
            if (renewal == null || !overdue(renewal) || !renewals.markExpiredUnconfirmed(id, now)) {
                return Optional.<Closed>empty();
            }
            List<String> revoked = certificates.revokeUnexpiredInPair(renewal.newPair(), now, REASON);
            pairs.markRevoked(renewal.newPair());
            return Optional.of(new Closed(renewal, revoked));
        });
        closed.ifPresent(
                c -> audit.record(AuditEvent.success(AuditEvent.SYSTEM, AuditAction.RENEWAL_CLOSED_UNCONFIRMED, null)
                        .code(RenewalState.EXPIRED_UNCONFIRMED.name())
                        .certificates(c.revoked())
                        .renewal(c.renewal().id().toString())
                        .detail("not confirmed within " + properties.confirmWithin() + "; new certificates revoked ("
                                + REASON + ")")));
        return closed.isPresent();
    }

    private record Closed(Renewal renewal, List<String> revoked) {}
}
