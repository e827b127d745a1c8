package org.cardrenew.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.cardrenew.server.store.AuditPending;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links the records that decisions wrote to {@code audit_pending} into the hash chain (docs/AUDIT.md, "The chain").
 *
 * <p>One transaction per batch of up to {@link #MAX_BATCH} records, oldest first: lock the head row (which orders the
 * batches of every node into one chain), read the pending records, insert them chained, delete them from the pending
 * ones, advance the head, commit. A decision therefore never waits for the head: it writes one row of its own, and
 * one commit here serves a whole batch (issue 14).
 *
 * <p>Each node runs one chainer thread, woken when this node writes a record (it then lets records gather for
 * {@link #LINGER}) and every {@link #POLL} anyway, for
 * records of other nodes or left by a node that stopped. It starts before the web server takes requests and stops
 * after it has drained them, chaining what is left; records a crash leaves pending are chained by the next chainer
 * of any node.
 *
 * <p>A woken chainer reads only the records above the highest id it chained ({@link #chainNew}), not the table from
 * its start: on PostgreSQL every chained row stays in the index, dead, until a vacuum, and an unbounded scan walked
 * them all in every batch (issue 14, docs/BENCHMARKS.md, session 21). Ids are taken when a record is inserted, not
 * when it commits, so a record can become visible after a younger one was chained; every {@link #SWEEP} the chainer
 * reads again from where it stood {@link #GRACE} ago, and every {@link #COMPLETE} (and when idle, at shutdown and
 * whenever {@link #chainPending} is called) from the start. Such a record is chained after the younger one: the
 * chain's order is the order of chaining.
 */
public class AuditChainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);

    /** Bounds one transaction, and the insert's parameters (13 per record). */
    static final int MAX_BATCH = 256;
    /**
     * How long a woken chainer lets records gather before it chains them: one transaction (five statements and a
     * commit) then serves every record written meanwhile instead of one or two (measured: docs/BENCHMARKS.md).
     */
    static final Duration LINGER = Duration.ofMillis(50);
    /** How often an idle chainer looks for records of other nodes, or left by a node that stopped. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long a chainer waits after a failed batch before it tries again. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * How long after a younger record was chained an older one may commit and still be found by the next
     * {@link #SWEEP}; one that commits later is found by the next complete pass. A record's id is taken by its
     * {@code INSERT}, which goes with its transaction's {@code COMMIT} on PostgreSQL (milliseconds).
     */
    static final Duration GRACE = Duration.ofSeconds(60);
    /** How often a busy chainer reads the records of the last {@link #GRACE} again, for ones that committed late. */
    static final Duration SWEEP = Duration.ofSeconds(5);
    /** How often a busy chainer reads every pending record. */
    static final Duration COMPLETE = Duration.ofMinutes(10);

    private final AuditRepository repository;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final boolean autoStartup;
    private final DistributionSummary batchSizes;
    private final Timer waited;
    private final Counter failures;
    private final Counter late;
    /** One chaining transaction at a time on this node (the thread, a checkpoint, a test). */
    private final ReentrantLock chaining = new ReentrantLock();
    /**
     * Set when this node wrote a record since the chainer last looked; it stays set while the chainer lingers, so the
     * records written meanwhile do not wake it again.
     */
    private final AtomicBoolean wanted = new AtomicBoolean();
    /** How often {@link #wake} had to wake the chainer thread (the first record of a linger does; the rest do not). */
    private final AtomicLong wakeUps = new AtomicLong();

    // Guarded by chaining: where this node's reads start.
    /** The highest pending id this node chained. */
    private long chainedUpTo;
    /**
     * {@link #chainedUpTo} at each sweep (a complete pass is one), back to the newest one at least {@link #GRACE} old;
     * the last is the last sweep's.
     */
    private final List<Mark> marks = new ArrayList<>();

    private Instant lastComplete = Instant.MIN;

    private record Mark(Instant at, long chainedUpTo) {}

    private volatile Thread thread;
    private volatile boolean running;

    /**
     * @param autoStartup false where the process must not write (the offline verification command): nothing is
     *                    chained unless asked through {@link #chainPending()}
     */
    public AuditChainer(
            AuditRepository repository,
            PlatformTransactionManager transactions,
            Clock clock,
            MeterRegistry meters,
            boolean autoStartup) {
        this.repository = repository;
        this.clock = clock;
        this.autoStartup = autoStartup;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.batchSizes = DistributionSummary.builder("cardrenew.audit.batch.records")
                .description("audit records chained per transaction of the chainer")
                .register(meters);
        this.waited = Timer.builder("cardrenew.audit.chaining.wait")
                .description("time from a decision to its record's place in the hash chain")
                .register(meters);
        this.failures = Counter.builder("cardrenew.audit.chaining.failures")
                .description("chaining transactions that failed (retried)")
                .register(meters);
        this.late = Counter.builder("cardrenew.audit.chaining.late")
                .description("audit records that became visible after a younger one was chained (chained after it)")
                .register(meters);
    }

    /** Asks this node's chainer thread to chain what is pending now (after a commit that wrote a record). */
    public void wake() {
        // Already set: the chainer has not looked since, and will (issue 14: an unpark per commit cost a system call
        // on the request thread and a wake-up of the lingering chainer, ~2 % of the server's CPU per renewal).
        if (wanted.getAndSet(true)) {
            return;
        }
        Thread t = thread;
        if (t != null) {
            wakeUps.incrementAndGet();
            LockSupport.unpark(t);
        }
    }

    long wakeUps() {
        return wakeUps.get();
    }

    /**
     * Chains every record pending now in the caller's thread, batch after batch, and returns how many this call
     * chained (another node may have chained some of them first): a complete pass, from the table's start.
     *
     * @throws RuntimeException the database's error; the batch it hit stays pending
     */
    public long chainPending() {
        chaining.lock();
        try {
            return chainFrom(0, clock.instant());
        } finally {
            chaining.unlock();
        }
    }

    /**
     * What a woken chainer does: chains the records above the highest id it chained; when a {@link #SWEEP} is due,
     * also those above where it stood {@link #GRACE} ago, and when a {@link #COMPLETE} pass is due, all.
     *
     * @throws RuntimeException the database's error; the batch it hit stays pending
     */
    long chainNew() {
        chaining.lock();
        try {
            Instant now = clock.instant();
            long chained = chainFrom(chainedUpTo, now);
            if (!now.isBefore(lastComplete.plus(COMPLETE))) {
                chained += chainFrom(0, now);
            } else if (marks.isEmpty()
                    || !now.isBefore(marks.get(marks.size() - 1).at().plus(SWEEP))) {
                chained += chainFrom(floor(now), now);
            }
            return chained;
        } finally {
            chaining.unlock();
        }
    }

    /** Chains the records above {@code after}, batch after batch; from 0 that is a complete pass. */
    private long chainFrom(long after, Instant now) {
        boolean again = after == 0 || after < chainedUpTo; // reads records it passed before
        long chained = 0;
        for (long from = after; ; ) {
            Batch batch = chainBatch(from);
            chained += batch.size();
            if (batch.size() < MAX_BATCH) {
                break;
            }
            from = batch.lastId();
        }
        if (again) {
            if (after == 0) {
                lastComplete = now;
            }
            marks.add(new Mark(now, chainedUpTo));
            Instant old = now.minus(GRACE);
            while (marks.size() > 1 && !marks.get(1).at().isAfter(old)) {
                marks.remove(0); // the newest mark at least GRACE old is all floor() needs of the older ones
            }
        }
        return chained;
    }

    /** Where this node stood {@link #GRACE} ago: any record it passed since has a higher id (0: not known). */
    private long floor(Instant now) {
        Instant old = now.minus(GRACE);
        long floor = 0;
        for (Mark m : marks) {
            if (m.at().isAfter(old)) {
                break;
            }
            floor = m.chainedUpTo();
        }
        return floor;
    }

    private record Batch(int size, long lastId) {}

    /** One chaining transaction: the records above {@code after}, up to {@link #MAX_BATCH}. */
    private Batch chainBatch(long after) {
        List<AuditPending> batch = transaction.execute(status -> {
            AuditRepository.Head head = repository.lockHead();
            List<AuditPending> pending = repository.oldestPending(after, MAX_BATCH);
            if (pending.isEmpty()) {
                return pending;
            }
            List<AuditRecord> records = chained(pending, head);
            List<Long> ids = pending.stream().map(AuditPending::id).toList();
            repository.insertAll(records, ids);
            repository.deletePending(ids);
            AuditRecord last = records.get(records.size() - 1);
            repository.advanceHead(new AuditRepository.Head(last.seq(), last.hash()));
            return pending;
        });
        if (batch.isEmpty()) {
            return new Batch(0, after);
        }
        batchSizes.record(batch.size());
        Instant now = clock.instant();
        for (AuditPending p : batch) {
            waited.record(Math.max(0, Duration.between(p.occurredAt(), now).toNanos()), TimeUnit.NANOSECONDS);
        }
        long lastId = batch.get(batch.size() - 1).id();
        late.increment(batch.stream().filter(p -> p.id() < chainedUpTo).count());
        chainedUpTo = Math.max(chainedUpTo, lastId);
        return new Batch(batch.size(), lastId);
    }

    /** The records after {@code head}, in the order they were written. */
    static List<AuditRecord> chained(List<AuditPending> batch, AuditRepository.Head head) {
        long seq = head.lastSeq();
        String previous = head.lastHash();
        List<AuditRecord> records = new ArrayList<>(batch.size());
        for (AuditPending p : batch) {
            seq++;
            String hash = AuditChain.hashOf(p.at(seq, previous, null));
            records.add(p.at(seq, previous, hash));
            previous = hash;
        }
        return records;
    }

    private void run() {
        boolean look = true; // at start: records a stopped node left
        while (running) {
            try {
                if (wanted.get()) {
                    linger();
                    wanted.set(false);
                    chainNew();
                } else if (look && repository.anyPending()) {
                    chainPending();
                }
                look = false;
            } catch (RuntimeException e) {
                failures.increment();
                log.warn(
                        "could not chain the pending audit records (they stay pending, retrying in {}): {}",
                        RETRY,
                        e.toString());
                wanted.set(true);
                LockSupport.parkNanos(this, RETRY.toNanos());
                continue;
            }
            if (!wanted.get()) {
                long before = System.nanoTime();
                LockSupport.parkNanos(this, POLL.toNanos());
                // a full poll period without a wake-up: look for other nodes' records
                look = System.nanoTime() - before >= POLL.toNanos();
            }
        }
    }

    /** Lets records gather for {@link #LINGER}: wake-ups meanwhile do not cut it short, a stop does. */
    private void linger() {
        long until = System.nanoTime() + LINGER.toNanos();
        for (long left; running && (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(this, left);
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::run, "audit-chainer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        try {
            chainPending(); // what the last requests wrote
        } catch (RuntimeException e) {
            log.warn(
                    "audit records left pending at shutdown (the next chainer of any node links them): {}",
                    e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** Starts before the web server takes requests and stops after it has drained them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
