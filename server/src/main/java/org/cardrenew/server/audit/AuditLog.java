package org.cardrenew.server.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Appends decisions to the hash-chained audit table. */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_DETAIL = 1000;

    private final AuditRepository repository;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final MeterRegistry meters;

    public AuditLog(AuditRepository repository, PlatformTransactionManager transactions, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.clock = clock;
        this.meters = meters;
        this.ownTransaction = new TransactionTemplate(transactions);
        // A refusal must be recorded even though the business transaction around it rolls back.
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void record(AuditEvent event) {
        // PostgreSQL stores microseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detail = event.detail() == null || event.detail().length() <= MAX_DETAIL
                ? event.detail()
                : event.detail().substring(0, MAX_DETAIL);
        ownTransaction.executeWithoutResult(status -> {
            AuditRepository.Head head = repository.lockHead();
            long seq = head.lastSeq() + 1;
            String address = event.clientAddress() == null ? null : event.clientAddress().value();
            String hash = AuditChain.hash(seq, at, event.actor(), event.action().name(), event.outcome().name(),
                    event.code(), event.certificateSerial(), event.renewalId(), detail, address, head.lastHash());
            repository.insert(new AuditRecord(seq, at, event.actor(), event.action().name(), event.outcome().name(),
                    event.code(), event.certificateSerial(), event.renewalId(), detail, address, head.lastHash(), hash));
            repository.advanceHead(seq, hash);
        });
        // Every decision is also a metric: cardrenew_decisions_total{action,outcome,code} on /actuator/prometheus
        meters.counter("cardrenew.decisions", "action", event.action().name(), "outcome", event.outcome().name(),
                "code", event.code() == null ? "none" : event.code()).increment();
        log.info("audit {} {} {} actor={} serial={} renewal={}", event.action(), event.outcome(), event.code(),
                event.actor(), event.certificateSerial(), event.renewalId());
    }

    /** Sequence number of the first broken record, or -1 when the whole chain verifies. */
    public long verify() {
        return AuditChain.firstBroken(repository.all());
    }
}
