package org.cardrenew.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.SignatureAlgorithms;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;

/**
 * Status checks ("View certificate status": challenge, card signature, status) by a closed loop of workers
 * cycling over renewable holders, until the deadline. Each check is repeatable, so the pool can be small.
 */
final class StatusLoad {

    record Result(int checks, Errors errors, double elapsedSeconds, Latencies latencies) {

        double perSecond() {
            return elapsedSeconds > 0 ? checks / elapsedSeconds : 0;
        }
    }

    private StatusLoad() {}

    static Result run(RaClient ra, List<SimulatedHolder> holders, int threads, Duration duration)
            throws InterruptedException {
        Errors errors = new Errors();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        List<Latencies> all = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            Latencies mine = new Latencies();
            all.add(mine);
            Thread worker = new Thread(
                    () -> {
                        while (System.nanoTime() < deadline) {
                            SimulatedHolder holder = holders.get(Math.floorMod(next.getAndIncrement(), holders.size()));
                            long began = System.nanoTime();
                            try {
                                ChallengeResponse challenge = ra.challenge();
                                byte[] proof =
                                        SoftwareKeys.sign(holder.signingKeys, SignedPayloads.status(challenge.nonce()));
                                StatusResponse status = ra.status(new StatusRequest(
                                        challenge.challengeId(),
                                        holder.signingCertificateBase64,
                                        SoftwareKeys.base64(proof),
                                        SignatureAlgorithms.forKey(holder.signingKeys.getPublic())));
                                if (status.status() == null) {
                                    errors.record("status answer without a status");
                                    continue;
                                }
                                mine.record(System.nanoTime() - began);
                                checks.incrementAndGet();
                            } catch (Exception e) {
                                errors.record(e);
                            }
                        }
                    },
                    "status-load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Latencies merged = new Latencies();
        all.forEach(merged::addAll);
        return new Result(checks.get(), errors, (System.nanoTime() - start) / 1e9, merged);
    }
}
