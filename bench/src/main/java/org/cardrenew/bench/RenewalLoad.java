package org.cardrenew.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignatureAlgorithms;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;

/**
 * The timed renewal load: a closed loop of worker threads, each taking the next holder in line and renewing it
 * with its next prepared generation (challenge → status → renewal → confirmation), until the deadline or until
 * the prepared generations run out. Both bound the loop, so it always stops by itself.
 */
final class RenewalLoad {

    /** The four RA calls of one renewal. */
    enum Step {
        CHALLENGE,
        STATUS,
        RENEWAL,
        CONFIRMATION
    }

    /**
     * @param completed  renewals that ended COMPLETED
     * @param elapsed    from the start until the last worker stopped
     * @param exhausted  true when the holders ran out before the deadline
     * @param total      latency of whole renewals (completed ones)
     * @param steps      latency of each RA call (successful ones)
     */
    record Result(
            int completed,
            Errors errors,
            double elapsedSeconds,
            boolean exhausted,
            Latencies total,
            Map<Step, Latencies> steps,
            List<SimulatedHolder> healthy) {

        double perSecond() {
            return elapsedSeconds > 0 ? completed / elapsedSeconds : 0;
        }
    }

    private RenewalLoad() {}

    static Result run(RaClient ra, List<SimulatedHolder> holders, int threads, Duration duration, boolean csrInLoop)
            throws InterruptedException {
        Queue<SimulatedHolder> queue = new ConcurrentLinkedQueue<>(holders);
        Errors errors = new Errors();
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean exhausted = new AtomicBoolean();
        Set<SimulatedHolder> failed = ConcurrentHashMap.newKeySet();
        List<Latencies> totals = new ArrayList<>();
        List<Map<Step, Latencies>> steps = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            Latencies total = new Latencies();
            Map<Step, Latencies> mine = newSteps();
            totals.add(total);
            steps.add(mine);
            Thread worker = new Thread(
                    () -> {
                        while (System.nanoTime() < deadline) {
                            SimulatedHolder holder = queue.poll();
                            if (holder == null) {
                                exhausted.set(true);
                                return;
                            }
                            SimulatedHolder.Generation next = holder.nextGeneration();
                            if (next == null) {
                                continue;
                            }
                            long began = System.nanoTime();
                            try {
                                if (renew(ra, holder, next, mine, csrInLoop, errors)) {
                                    total.record(System.nanoTime() - began);
                                    completed.incrementAndGet();
                                    // Renewable again (same length as before): back in line for its next generation.
                                    queue.offer(holder);
                                } else {
                                    failed.add(holder);
                                }
                            } catch (Exception e) {
                                errors.record(e);
                                failed.add(holder);
                            }
                        }
                    },
                    "renewal-load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Latencies total = new Latencies();
        totals.forEach(total::addAll);
        Map<Step, Latencies> merged = newSteps();
        steps.forEach(m -> m.forEach((k, v) -> merged.get(k).addAll(v)));
        List<SimulatedHolder> healthy = new ArrayList<>(holders);
        healthy.removeAll(failed);
        return new Result(completed.get(), errors, elapsed, exhausted.get(), total, merged, healthy);
    }

    /** One renewal, as the agent does it with a card; false (and an error recorded) for an unexpected answer. */
    static boolean renew(
            RaClient ra,
            SimulatedHolder holder,
            SimulatedHolder.Generation next,
            Map<Step, Latencies> steps,
            boolean csrInLoop,
            Errors errors)
            throws Exception {
        long t0 = System.nanoTime();
        ChallengeResponse challenge = ra.challenge();
        long t1 = System.nanoTime();
        steps.get(Step.CHALLENGE).record(t1 - t0);
        String algorithm = SignatureAlgorithms.forKey(holder.signingKeys.getPublic());
        byte[] proof = SoftwareKeys.sign(holder.signingKeys, SignedPayloads.status(challenge.nonce()));
        long t2 = System.nanoTime();
        StatusResponse status = ra.status(new StatusRequest(
                challenge.challengeId(), holder.signingCertificateBase64, SoftwareKeys.base64(proof), algorithm));
        long t3 = System.nanoTime();
        steps.get(Step.STATUS).record(t3 - t2);
        if (status.status() != CertificateStatus.RENEWABLE || status.renewalToken() == null) {
            errors.record("status " + status.status() + " instead of RENEWABLE");
            return false;
        }
        if (csrInLoop) {
            next.signCsrs(holder.subject);
        }
        long t4 = System.nanoTime();
        RenewalResponse issued =
                ra.renew(new RenewalRequest(status.renewalToken(), next.signingCsr, next.encryptionCsr));
        long t5 = System.nanoTime();
        steps.get(Step.RENEWAL).record(t5 - t4);
        if (issued.state() != RenewalState.ISSUED
                || issued.signingCertificate() == null
                || issued.encryptionCertificate() == null) {
            errors.record("renewal state " + issued.state() + " instead of ISSUED");
            return false;
        }
        // What the agent checks before writing: each certificate certifies the key it was asked for.
        if (!Arrays.equals(
                        SoftwareKeys.certifiedKey(issued.signingCertificate()),
                        next.signing.getPublic().getEncoded())
                || !Arrays.equals(
                        SoftwareKeys.certifiedKey(issued.encryptionCertificate()),
                        next.encryption.getPublic().getEncoded())) {
            errors.record("issued certificates do not certify the requested keys");
            return false;
        }
        byte[] confirmation = SoftwareKeys.sign(next.signing, SignedPayloads.confirmation(issued.renewalId()));
        long t6 = System.nanoTime();
        ConfirmationResponse confirmed = ra.confirm(
                issued.renewalId(),
                new ConfirmationRequest(
                        SoftwareKeys.base64(confirmation), SignatureAlgorithms.forKey(next.signing.getPublic())));
        steps.get(Step.CONFIRMATION).record(System.nanoTime() - t6);
        if (confirmed.state() != RenewalState.COMPLETED) {
            errors.record("confirmation state " + confirmed.state() + " instead of COMPLETED");
            return false;
        }
        holder.renewed(next, issued.signingCertificate());
        return true;
    }

    private static Map<Step, Latencies> newSteps() {
        Map<Step, Latencies> map = new EnumMap<>(Step.class);
        for (Step s : Step.values()) {
            map.put(s, new Latencies());
        }
        return map;
    }
}
