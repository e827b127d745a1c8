package org.cardrenew.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends decisions to the hash-chained audit table.
 *
 * <p>{@link #record} returns only once the record is committed: no decision reaches the holder before its audit record
 * is durable. Appends are <em>group-committed</em>: every append locks the one chain-head row, so instead of one
 * transaction per record (which serialises all requests of all nodes on that row, one commit each), the caller that
 * gets this node's writer lock appends every record queued meanwhile in one transaction — lock the head, insert the
 * batch, advance the head, commit — and wakes their callers. Across nodes the head row still orders the batches: a
 * batch advances the head from the value this node left it at (a compare-and-set that also locks the row) and reads
 * it under lock only when another node appended meanwhile. The transaction of {@link #record} is always the log's
 * own, so a refusal stays recorded when the business transaction around it rolls back.
 *
 * <p>{@link #recordInCurrentTransaction} appends the outcome of a state change in the transaction that makes the change,
 * as its last statements: the record is committed exactly when the change is, and the step saves a transaction and
 * a commit of its own (issue 14).
 *
 * <p>Refusals of unauthenticated callers are not chained ({@link #unauthenticatedRefusal}): they are counted in
 * {@code cardrenew_decisions_total} and logged, like every other decision.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_DETAIL = 1000;
    /** Bounds one transaction (and the statement's parameter count); the rest waits for the next batch. */
    static final int MAX_BATCH = 64;

    private final AuditRepository repository;
    private final PlatformTransactionManager transactions;
    private final TransactionDefinition ownTransaction;
    private final Clock clock;
    private final MeterRegistry meters;
    private final DistributionSummary batchSizes;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();
    private final ConcurrentHashMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
    /** The head as this node's last batch left it; read and written under the writer lock. */
    private AuditRepository.Head lastKnownHead;

    public AuditLog(
            AuditRepository repository, PlatformTransactionManager transactions, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.clock = clock;
        this.meters = meters;
        this.transactions = transactions;
        // A refusal must be recorded even though the business transaction around it rolls back.
        this.ownTransaction = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.batchSizes = DistributionSummary.builder("cardrenew.audit.batch.records")
                .description("audit records appended per chain-head transaction (group commit)")
                .register(meters);
    }

    /**
     * Appends the event to the chain and returns once it is committed; an unauthenticated refusal is only counted and
     * logged ({@link #unauthenticatedRefusal}).
     *
     * @throws RuntimeException the database's error when the batch holding this record could not be committed; the
     *                          record is then not in the chain
     */
    public void record(AuditEvent event) {
        if (unauthenticatedRefusal(event)) {
            // Counted and logged, not chained: otherwise every junk request from anyone would lengthen the trail and
            // contend for the chain head (issue 13). Authenticated refusals and every success stay chained.
            decided(event);
            return;
        }
        Pending mine = pending(event);
        if (writer.isHeldByCurrentThread()) {
            // This thread appended in its business transaction and still holds the writer lock until that commits:
            // a transaction of the log's own would need a second connection under the lock.
            throw new IllegalStateException("an audit record appended in the current transaction must be its last");
        }
        queue.add(mine);
        while (!mine.done) {
            // The connection first, then the writer lock: whoever holds the lock never waits for the pool, while
            // callers of recordInCurrentTransaction wait for the lock holding theirs (no deadlock on a full pool).
            TransactionStatus own = transactions.getTransaction(ownTransaction);
            writer.lock();
            try {
                // Whoever held the lock before may have appended this record with its batch.
                if (mine.done) {
                    transactions.commit(own); // nothing ran in it: no round trip
                } else {
                    appendQueued(own);
                }
            } finally {
                writer.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        decided(event);
    }

    /**
     * Appends the event in the caller's transaction, as its last statements: it is committed with the state change
     * that transaction makes, or not at all. Call it last in the transaction, and for outcomes only: a refusal must be
     * recorded when the business transaction rolls back, which only {@link #record} does. Until that transaction ends,
     * this node's other appends wait (the writer lock, and the head row in the database, stay held until the commit).
     *
     * @throws IllegalStateException when no transaction is active, or one record was already appended in it
     */
    public void recordInCurrentTransaction(AuditEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("no transaction to append the audit record in");
        }
        if (unauthenticatedRefusal(event)) {
            decided(event);
            return;
        }
        if (writer.isHeldByCurrentThread()) {
            throw new IllegalStateException("one audit record per transaction, appended last");
        }
        Pending mine = pending(event);
        writer.lock();
        boolean handedOver = false;
        try {
            AuditRepository.Head after = append(List.of(mine));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    try {
                        if (status == STATUS_COMMITTED) {
                            lastKnownHead = after;
                            batchSizes.record(1);
                            decided(event);
                        } else {
                            lastKnownHead = null; // the head may have moved in the rolled-back transaction only
                        }
                    } finally {
                        writer.unlock();
                    }
                }
            });
            handedOver = true;
        } finally {
            if (!handedOver) {
                lastKnownHead = null;
                writer.unlock();
            }
        }
    }

    private Pending pending(AuditEvent event) {
        // PostgreSQL stores microseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detail = event.detail() == null || event.detail().length() <= MAX_DETAIL
                ? event.detail()
                : event.detail().substring(0, MAX_DETAIL);
        return new Pending(event.detail(detail), at);
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

    /**
     * Up to {@link #MAX_BATCH} queued records, oldest first, in {@code own} (begun by the caller, committed or rolled
     * back here). Called with the writer lock held.
     */
    private void appendQueued(TransactionStatus own) {
        List<Pending> batch = new ArrayList<>();
        for (Pending next; batch.size() < MAX_BATCH && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        try {
            AuditRepository.Head after = batch.isEmpty() ? null : append(batch);
            transactions.commit(own);
            if (after != null) {
                lastKnownHead = after;
                batchSizes.record(batch.size());
            }
            batch.forEach(p -> p.done = true);
        } catch (RuntimeException e) {
            if (!own.isCompleted()) {
                transactions.rollback(own);
            }
            lastKnownHead = null;
            for (Pending p : batch) {
                p.failure = e;
                p.done = true;
            }
        }
    }

    /**
     * Chains the batch after the head and writes it in the current transaction: two statements when this node
     * appended last (advance the head from where it left it, which locks the row and checks it at once; insert the
     * rows), three when another node appended meanwhile (read the head under lock first). Returns the new head.
     */
    private AuditRepository.Head append(List<Pending> batch) {
        AuditRepository.Head known = lastKnownHead;
        List<AuditRecord> records = known == null ? null : chained(batch, known);
        if (records == null || !repository.advanceHead(known, last(records))) {
            records = chained(batch, repository.lockHead());
            repository.advanceHead(last(records));
        }
        repository.insertAll(records);
        return last(records);
    }

    private static List<AuditRecord> chained(List<Pending> batch, AuditRepository.Head head) {
        long seq = head.lastSeq();
        String previous = head.lastHash();
        List<AuditRecord> records = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            AuditRecord record = p.chained(++seq, previous);
            records.add(record);
            previous = record.hash();
        }
        return records;
    }

    private static AuditRepository.Head last(List<AuditRecord> records) {
        AuditRecord last = records.get(records.size() - 1);
        return new AuditRepository.Head(last.seq(), last.hash());
    }

    /** Sequence number of the first broken record, or -1 when the whole chain verifies. */
    public long verify() {
        return AuditChain.firstBroken(repository.all());
    }

    /** Records waiting for a batch (tests). */
    int queued() {
        return queue.size();
    }

    /** A record waiting for its batch; its fields are written and read under the writer lock. */
    private static final class Pending {
        private final AuditEvent event;
        private final Instant at;
        private boolean done;
        private RuntimeException failure;

        Pending(AuditEvent event, Instant at) {
            this.event = event;
            this.at = at;
        }

        AuditRecord chained(long seq, String prevHash) {
            AuditEvent e = event;
            String address =
                    e.clientAddress() == null ? null : e.clientAddress().value();
            String serials = e.storedSerials();
            String hash = AuditChain.hash(
                    seq,
                    at,
                    e.actor(),
                    e.action().name(),
                    e.outcome().name(),
                    e.code(),
                    serials,
                    e.renewalId(),
                    e.detail(),
                    address,
                    prevHash);
            return new AuditRecord(
                    seq,
                    at,
                    e.actor(),
                    e.action().name(),
                    e.outcome().name(),
                    e.code(),
                    serials,
                    e.renewalId(),
                    e.detail(),
                    address,
                    prevHash,
                    hash);
        }
    }
}
