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

/** Enrolls simulated holders and prepares their next key generations in parallel, before a timed part. */
final class HolderPool {

    private HolderPool() {}

    static List<SimulatedHolder> enroll(
            RaClient ra,
            String adminToken,
            String prefix,
            int count,
            int threads,
            HolderKeyType keyType,
            Clock clock,
            Errors errors)
            throws InterruptedException {
        List<SimulatedHolder> holders = Collections.synchronizedList(new ArrayList<>(count));
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String holderId = prefix + "-" + i;
            tasks.add(() -> {
                try {
                    holders.add(SimulatedHolder.enroll(ra, adminToken, holderId, keyType, clock.instant()));
                } catch (Exception e) {
                    errors.record(e);
                }
            });
        }
        runAll(tasks, threads, errors);
        return new ArrayList<>(holders);
    }

    /** Spreads {@code renewals} prepared generations over the holders (client-side key generation only). */
    static void prepare(
            List<SimulatedHolder> holders, int renewals, HolderKeyType keyType, boolean csrInLoop, Errors errors)
            throws InterruptedException {
        List<Runnable> tasks = new ArrayList<>();
        int each = renewals / holders.size();
        int extra = renewals % holders.size();
        for (int i = 0; i < holders.size(); i++) {
            SimulatedHolder h = holders.get(i);
            int n = each + (i < extra ? 1 : 0);
            tasks.add(() -> h.prepare(n, keyType, csrInLoop));
        }
        runAll(tasks, Runtime.getRuntime().availableProcessors(), errors);
    }

    private static void runAll(List<Runnable> tasks, int threads, Errors errors) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.record(e.getCause());
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
