package org.cardrenew.bench;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cardrenew.protocol.RaClient;

/** Enrolls many simulated holders in parallel before a timed part (untimed set-up). */
final class HolderPool {

    private HolderPool() {}

    static List<SimulatedHolder> enroll(RaClient ra, String adminToken, String prefix, int count, int threads,
            HolderKeyType keyType, boolean prepareCsrs, Clock clock, Errors errors) throws InterruptedException {
        List<SimulatedHolder> holders = Collections.synchronizedList(new ArrayList<>(count));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String holderId = prefix + "-" + i;
                tasks.add(pool.submit(() -> {
                    try {
                        holders.add(SimulatedHolder.enroll(ra, adminToken, holderId, keyType, clock.instant(), prepareCsrs));
                    } catch (Exception e) {
                        errors.record(e);
                    }
                }));
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.record(e.getCause());
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return new ArrayList<>(holders);
    }
}
