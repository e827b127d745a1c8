package org.cardrenew.server.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.Reminder;
import org.cardrenew.server.store.ReminderId;
import org.cardrenew.server.store.ReminderRepository;
import org.cardrenew.server.store.ReminderState;
import org.springframework.stereotype.Service;

/** What administrators do with the outbox: list it, re-send one reminder, see who cannot be reached, scan now. */
@Service
public class ReminderAdministration {

    public static final int MAX_PAGE_SIZE = 500;

    private final ReminderRepository repository;
    private final ReminderScan scan;
    private final ReminderMetrics metrics;
    private final AuditLog audit;
    private final Clock clock;

    public ReminderAdministration(
            ReminderRepository repository, ReminderScan scan, ReminderMetrics metrics, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.scan = scan;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
    }

    /** Outcome of a re-send request. */
    public enum Resend {
        QUEUED,
        NOT_FOUND,
        BUSY
    }

    /** @param state null for every state */
    public ReminderPage list(ReminderState state, int page, int size) {
        Map<ReminderState, Long> counts = repository.countByState();
        metrics.outbox(counts);
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.forEach((s, n) -> byName.put(s.name(), n));
        return new ReminderPage(
                repository.page(state, page * size, size).stream()
                        .map(ReminderView::of)
                        .toList(),
                page,
                size,
                byName);
    }

    public Optional<ReminderView> find(long id) {
        return repository.find(new ReminderId(id)).map(ReminderView::of);
    }

    /**
     * Queues the reminder again, whatever its state: the sender delivers it with a new Message-ID (next generation),
     * unless the pair was renewed, revoked or expired meanwhile (then it is CANCELLED, not sent).
     */
    public Resend resend(long id, ClientAddress from) {
        ReminderId reminder = new ReminderId(id);
        Optional<Reminder> before = repository.find(reminder);
        Resend outcome = before.isEmpty()
                ? Resend.NOT_FOUND
                : repository.requeue(reminder, clock.instant()) ? Resend.QUEUED : Resend.BUSY;
        String detail = before.map(r -> "reminder " + id + " (" + r.offsetDays() + " days, pair "
                        + r.pairId().value() + ", holder " + r.holderId() + ", was " + r.state() + ")")
                .orElse("reminder " + id);
        audit.record((outcome == Resend.QUEUED
                        ? AuditEvent.success(AuditEvent.ADMIN, AuditAction.REMINDER_RESENT, from)
                        : AuditEvent.refused(
                                AuditEvent.ADMIN,
                                AuditAction.REMINDER_RESENT,
                                "REMINDER_" + (outcome == Resend.BUSY ? "BUSY" : "NOT_FOUND"),
                                from))
                .detail(detail));
        return outcome;
    }

    /**
     * Runs the reminder scan now, on this node, instead of waiting for cardrenew.reminders.scan-interval. A scheduled
     * scan of this or another node may run at the same moment: the scan repeats its insert after a collision on
     * UNIQUE (pair_id, offset_days), so each reminder is still created once, by whichever scan got there first.
     */
    public ReminderScanRun scanNow(ClientAddress from) {
        Instant startedAt = clock.instant();
        // Elapsed time from the monotonic clock: the injected Clock is the calendar, fixed in tests.
        long start = System.nanoTime();
        ReminderScan.Result result = scan.scan();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        Map<String, Long> outbox = new LinkedHashMap<>();
        result.outbox().forEach((s, n) -> outbox.put(s.name(), n));
        audit.record(AuditEvent.success(AuditEvent.ADMIN, AuditAction.REMINDER_SCAN_RUN, from)
                .detail(result.created() + " created, " + result.cancelled() + " cancelled, " + result.skipped()
                        + " overtaken in " + tookMillis + " ms"));
        return new ReminderScanRun(
                result.created(),
                result.cancelled(),
                result.skipped(),
                outbox,
                result.holdersWithoutEmail(),
                startedAt,
                tookMillis);
    }

    public UnreachableHolders withoutEmail(int page, int size) {
        Instant now = clock.instant();
        long total = repository.countHoldersWithoutEmail(now);
        metrics.holdersWithoutEmail(total);
        return new UnreachableHolders(
                repository.holdersWithoutEmail(now, page * size, size).stream()
                        .map(h -> new UnreachableHolders.Entry(
                                h.holderId().value(), h.name(), h.organization(), h.notAfter()))
                        .toList(),
                page,
                size,
                total);
    }
}
