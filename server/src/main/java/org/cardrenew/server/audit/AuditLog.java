package org.cardrenew.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.cardrenew.server.store.AuditPending;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records decisions in the audit trail (docs/AUDIT.md).
 *
 * <p>A decision's record goes to the records waiting to be chained ({@code audit_pending}), in the decision's
 * transaction or in one of its own: one insert, which waits for nobody. {@link AuditChainer} links them into the hash
 * chain in batches, one transaction and one lock of the chain's head per batch instead of per record (issue 14), and
 * the checkpoints sign the chain as before.
 *
 * <p>{@link #record} writes in a transaction of the log's own and returns once it is committed, so a refusal stays
 * recorded when the business transaction around it rolls back. {@link #recordInCurrentTransaction} writes in the
 * caller's transaction, for the outcome of a state change: the record is committed exactly when the change is. Either
 * way no decision reaches the holder before its record is durable.
 *
 * <p>Refusals of unauthenticated callers are not recorded ({@link #unauthenticatedRefusal}): they are counted in
 * {@code cardrenew_decisions_total} and logged, like every other decision.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_DETAIL = 1000;

    private final AuditRepository repository;
    private final AuditChainer chainer;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ConcurrentHashMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();

    public AuditLog(
            AuditRepository repository,
            AuditChainer chainer,
            PlatformTransactionManager transactions,
            Clock clock,
            MeterRegistry meters) {
        this.repository = repository;
        this.chainer = chainer;
        this.clock = clock;
        this.meters = meters;
        // A refusal must be recorded even though the business transaction around it rolls back.
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Records the event and returns once it is committed, in a transaction of its own; an unauthenticated refusal is
     * only counted and logged ({@link #unauthenticatedRefusal}).
     *
     * @throws RuntimeException the database's error when the record could not be committed
     */
    public void record(AuditEvent event) {
        if (unauthenticatedRefusal(event)) {
            // Counted and logged, not chained: otherwise every junk request from anyone would lengthen the trail
            // (issue 13). Authenticated refusals and every success stay chained.
            decided(event);
            return;
        }
        AuditPending pending = pending(event);
        ownTransaction.executeWithoutResult(status -> repository.insertPending(pending));
        chainer.wake();
        decided(event);
    }

    /**
     * Records the event in the caller's transaction: it is committed with the state change that transaction makes, or
     * not at all. For outcomes only: a refusal must be recorded when the business transaction rolls back, which only
     * {@link #record} does.
     *
     * @throws IllegalStateException when no transaction is active
     */
    public void recordInCurrentTransaction(AuditEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("no transaction to write the audit record in");
        }
        if (unauthenticatedRefusal(event)) {
            decided(event);
            return;
        }
        repository.insertPending(pending(event));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                chainer.wake();
                decided(event);
            }
        });
    }

    private AuditPending pending(AuditEvent event) {
        // PostgreSQL stores microseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detail = event.detail() == null || event.detail().length() <= MAX_DETAIL
                ? event.detail()
                : event.detail().substring(0, MAX_DETAIL);
        return new AuditPending(
                0,
                at,
                event.actor(),
                event.action().name(),
                event.outcome().name(),
                event.code(),
                event.storedSerials(),
                event.renewalId(),
                detail,
                event.clientAddress() == null ? null : event.clientAddress().value());
    }

    /**
     * The one place that decides what stays out of the chain: a refusal of a caller nobody authenticated (no valid
     * card signature, renewal token, admin token or console sign-in), whatever the endpoint.
     */
    static boolean unauthenticatedRefusal(AuditEvent event) {
        return AuditEvent.ANONYMOUS.equals(event.actor()) && event.outcome() == AuditOutcome.REFUSED;
    }

    private void decided(AuditEvent event) {
        // Every decision is also a metric: cardrenew_decisions_total{action,outcome,code} on /actuator/prometheus
        decisions
                .computeIfAbsent(new DecisionKey(event.action(), event.outcome(), event.code()), this::counter)
                .increment();
        // The audit table has them all; the log repeats refusals and errors, and successes only at DEBUG.
        if (event.outcome() != AuditOutcome.SUCCESS) {
            log.info(
                    "audit {} {} {} actor={} serial={} renewal={}{}",
                    event.action(),
                    event.outcome(),
                    event.code(),
                    event.actor(),
                    event.storedSerials(),
                    event.renewalId(),
                    unauthenticatedRefusal(event) ? " (not chained: unauthenticated)" : "");
        } else if (log.isDebugEnabled()) {
            log.debug(
                    "audit {} {} {} actor={} serial={} renewal={}",
                    event.action(),
                    event.outcome(),
                    event.code(),
                    event.actor(),
                    event.storedSerials(),
                    event.renewalId());
        }
    }

    private Counter counter(DecisionKey key) {
        return meters.counter(
                "cardrenew.decisions",
                "action",
                key.action().name(),
                "outcome",
                key.outcome().name(),
                "code",
                key.code() == null ? "none" : key.code());
    }

    /** One counter per action, outcome and code, looked up without building tags on every decision. */
    private record DecisionKey(AuditAction action, AuditOutcome outcome, String code) {}

    /** Sequence number of the first broken record, or -1 when the whole chain verifies. */
    public long verify() {
        return AuditChain.firstBroken(repository.all());
    }
}
