package org.cardrenew.server.testsupport;

import java.util.List;
import java.util.function.Consumer;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;

/**
 * The audit trail as a test reads it: every record written so far, chained first (the server's chainer links them a
 * few milliseconds after their decision, on its own thread).
 */
public final class ChainedAudit {

    private final AuditRepository records;
    private final AuditChainer chainer;

    public ChainedAudit(AuditRepository records, AuditChainer chainer) {
        this.records = records;
        this.chainer = chainer;
    }

    public List<AuditRecord> all() {
        chainer.chainPending();
        return records.all();
    }

    public long count() {
        chainer.chainPending();
        return records.count();
    }

    public void forEachInOrder(int pageSize, Consumer<AuditRecord> each) {
        chainer.chainPending();
        records.forEachInOrder(pageSize, each);
    }
}
