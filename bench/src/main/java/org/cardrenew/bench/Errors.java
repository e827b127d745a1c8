package org.cardrenew.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.cardrenew.protocol.RaRefusedException;

/** Failed operations by kind: the RA's refusal code, a transport failure, or an unexpected answer. */
final class Errors {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(Throwable failure) {
        String kind;
        if (failure instanceof RaRefusedException refused) {
            kind = "HTTP " + refused.httpStatus() + " " + refused.code();
        } else {
            String message = String.valueOf(failure.getMessage());
            kind = failure.getClass().getSimpleName() + ": "
                    + (message.length() > 80 ? message.substring(0, 80) : message);
        }
        record(kind);
    }

    void record(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> byKind() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }
}
