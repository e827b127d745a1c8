package org.cardrenew.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.cardrenew.ca.CaKeyType;
import org.cardrenew.ca.CaSettings;
import org.cardrenew.ca.CertificateProfile;
import org.cardrenew.ca.CryptoProviders;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.ca.IssuanceRequest;
import org.cardrenew.ca.PublicKeys;
import org.cardrenew.protocol.SignatureAlgorithms;
import org.cardrenew.protocol.SignedPayloads;

/**
 * The crypto-only bound of a renewal: every signature and verification the simulated client and the server make
 * for one renewal, through the same JCA providers, chosen by the same class ({@link CryptoProviders}), and the same CA
 * code ({@link EmbeddedCa} on a PKCS#12 key), with no HTTP and no database, on the same number of threads.
 * End-to-end renewals/s can approach it, never pass it.
 */
final class CryptoBound {

    /** One signature or verification of a renewal, and who makes it. */
    enum Op {
        CLIENT_CHALLENGE_SIGN("client: challenge signature (current key)", 1),
        SERVER_CHALLENGE_VERIFY("server: challenge signature check", 1),
        SERVER_ISSUER_CHECK("server: certificate signature check (isIssuerOf)", 1),
        CLIENT_CSR_SIGN("client: CSR signature (new keys)", 2),
        SERVER_CSR_VERIFY("server: CSR parse + proof-of-possession check", 2),
        CA_ISSUE("CA: certificate signature (+ its check) by the CA key", 2),
        CLIENT_CONFIRM_SIGN("client: confirmation signature (new key)", 1),
        SERVER_CONFIRM_VERIFY("server: confirmation signature check", 1);

        final String label;
        final int perRenewal;

        Op(String label, int perRenewal) {
            this.label = label;
            this.perRenewal = perRenewal;
        }
    }

    /** Mean wall time of each operation on the loaded threads, and the bound. */
    record Result(
            double perSecond,
            int renewals,
            double elapsedSeconds,
            boolean csrSignaturesIncluded,
            Map<Op, Double> meanMicros,
            double cpuMillisPerRenewal) {}

    /** The server's side of the work: the provider choice and the CA opened with it. */
    private record ServerSide(CryptoProviders providers, EmbeddedCa ca) {}

    private final ServerSide asServer;
    private final ServerSide withoutNative;
    private final List<Prepared> prepared;

    /** A holder's material: the current signing certificate and the next keys with their CSRs. */
    private record Prepared(
            KeyPair current,
            X509Certificate currentCertificate,
            KeyPair nextSigning,
            KeyPair nextEncryption,
            X500Principal subject,
            byte[] signingCsr,
            byte[] encryptionCsr) {}

    private CryptoBound(ServerSide asServer, ServerSide withoutNative, List<Prepared> prepared) {
        this.asServer = asServer;
        this.withoutNative = withoutNative;
        this.prepared = prepared;
    }

    /** A throw-away CA of the given key type in {@code workDir}, and a few prepared holders. */
    static CryptoBound prepare(Path workDir, CaKeyType caKey, HolderKeyType holderKey, int holders) throws Exception {
        Files.createDirectories(workDir);
        char[] password = Base64.getEncoder()
                .encodeToString(SecureRandom.getInstanceStrong().generateSeed(12))
                .toCharArray();
        CaSettings settings =
                CaSettings.pkcs12(workDir.resolve("bound-ca.p12"), password).withKeyType(caKey);
        // The server's JVM reads the same switch from the same environment: the same choice as the server's.
        CryptoProviders providers = CryptoProviders.jvm();
        EmbeddedCa ca = EmbeddedCa.openOrCreate(settings, Clock.systemUTC(), providers);
        // The same CA keys opened again without native crypto: the what-if of the providers before issue 14's
        // session 7 (the JDK signing for the CA, BouncyCastle checking the holders).
        CryptoProviders off = CryptoProviders.create(false);
        ServerSide withoutNative = new ServerSide(off, EmbeddedCa.openOrCreate(settings, Clock.systemUTC(), off));
        List<Prepared> list = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < holders; i++) {
            X500Principal subject = new X500Principal(
                    "SERIALNUMBER=bound-" + i + ", CN=Bench Holder " + i + ", O=CardRenew Bench Agency, C=TW");
            KeyPair current = holderKey.generate();
            X509Certificate certificate = ca.issue(new IssuanceRequest(
                            subject,
                            current.getPublic(),
                            CertificateProfile.SIGNING,
                            now.minus(Duration.ofDays(345)),
                            now.plus(Duration.ofDays(20))))
                    .certificate();
            KeyPair nextSigning = holderKey.generate();
            KeyPair nextEncryption = holderKey.generate();
            list.add(new Prepared(
                    current,
                    certificate,
                    nextSigning,
                    nextEncryption,
                    subject,
                    SoftwareKeys.certificationRequest(nextSigning, subject),
                    SoftwareKeys.certificationRequest(nextEncryption, subject)));
        }
        return new CryptoBound(new ServerSide(providers, ca), withoutNative, list);
    }

    /**
     * Runs the renewal's crypto in a closed loop on {@code threads} threads for {@code duration}.
     *
     * @param csrSignatures whether the two CSR signatures are part of the measured work (they are when the
     *     load generator signs its CSRs inside the timed loop)
     */
    Result run(int threads, Duration duration, boolean csrSignatures) throws InterruptedException {
        return run(threads, duration, csrSignatures, true);
    }

    /**
     * @param asServer true for the server's own provider choice; false for the same work with native crypto off on
     *     the server's side (CA signatures and holder checks; the simulated cards sign as they do in the load)
     */
    Result run(int threads, Duration duration, boolean csrSignatures, boolean asServer) throws InterruptedException {
        ServerSide side = asServer ? this.asServer : withoutNative;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicLongArray nanos = new AtomicLongArray(Op.values().length);
        AtomicLongArray counts = new AtomicLongArray(Op.values().length);
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        double cpuBefore = ProcessCpu.seconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Instant now = Instant.now();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(
                    () -> {
                        try {
                            while (System.nanoTime() < deadline) {
                                renewal(
                                        prepared.get(Math.floorMod(next.getAndIncrement(), prepared.size())),
                                        csrSignatures,
                                        side,
                                        now,
                                        nanos,
                                        counts);
                                done.incrementAndGet();
                            }
                        } catch (Exception | AssertionError e) {
                            failure[0] = e;
                        }
                    },
                    "crypto-bound-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("the crypto bound failed: " + failure[0], failure[0]);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Op, Double> means = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            long c = counts.get(op.ordinal());
            means.put(op, c == 0 ? Double.NaN : nanos.get(op.ordinal()) / 1e3 / c);
        }
        double cpu = ProcessCpu.seconds(ProcessHandle.current().pid()) - cpuBefore;
        return new Result(
                done.get() / elapsed, done.get(), elapsed, csrSignatures, means, 1000 * cpu / Math.max(1, done.get()));
    }

    private void renewal(
            Prepared h,
            boolean csrSignatures,
            ServerSide server,
            Instant now,
            AtomicLongArray nanos,
            AtomicLongArray counts)
            throws Exception {
        byte[] nonce = new byte[32];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(nonce);
        byte[] statusPayload =
                SignedPayloads.status(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
        long t = System.nanoTime();
        byte[] proof = SoftwareKeys.sign(h.current(), statusPayload);
        t = lap(Op.CLIENT_CHALLENGE_SIGN, t, nanos, counts);
        // The server: CardSignature.verify (DER first, as a JCA signature verifies first time).
        check(verify(h.currentCertificate().getPublicKey(), statusPayload, proof, server), "challenge signature");
        t = lap(Op.SERVER_CHALLENGE_VERIFY, t, nanos, counts);
        check(server.ca().isIssuerOf(h.currentCertificate()), "issuer check");
        t = lap(Op.SERVER_ISSUER_CHECK, t, nanos, counts);
        byte[] signingCsr = h.signingCsr();
        byte[] encryptionCsr = h.encryptionCsr();
        if (csrSignatures) {
            signingCsr = SoftwareKeys.certificationRequest(h.nextSigning(), h.subject());
            encryptionCsr = SoftwareKeys.certificationRequest(h.nextEncryption(), h.subject());
            t = lap(Op.CLIENT_CSR_SIGN, t, nanos, counts);
        }
        // The server: CertificationRequest.parse (BouncyCastle PKCS#10, the providers' content verifier).
        PublicKey signingKey = proofOfPossession(signingCsr, server);
        PublicKey encryptionKey = proofOfPossession(encryptionCsr, server);
        t = lap(Op.SERVER_CSR_VERIFY, t, nanos, counts);
        Instant notAfter = now.plus(Duration.ofDays(365));
        X509Certificate signing = server.ca()
                .issue(new IssuanceRequest(h.subject(), signingKey, CertificateProfile.SIGNING, now, notAfter))
                .certificate();
        server.ca()
                .issue(new IssuanceRequest(h.subject(), encryptionKey, CertificateProfile.ENCRYPTION, now, notAfter));
        t = lap(Op.CA_ISSUE, t, nanos, counts);
        byte[] confirmPayload =
                SignedPayloads.confirmation(java.util.UUID.randomUUID().toString());
        byte[] confirmation = SoftwareKeys.sign(h.nextSigning(), confirmPayload);
        t = lap(Op.CLIENT_CONFIRM_SIGN, t, nanos, counts);
        check(verify(signing.getPublicKey(), confirmPayload, confirmation, server), "confirmation signature");
        lap(Op.SERVER_CONFIRM_VERIFY, t, nanos, counts);
    }

    private static long lap(Op op, long since, AtomicLongArray nanos, AtomicLongArray counts) {
        long now = System.nanoTime();
        nanos.addAndGet(op.ordinal(), now - since);
        counts.incrementAndGet(op.ordinal());
        return now;
    }

    /** As the server's ra.HolderSignatures.verifies. */
    private static boolean verify(PublicKey key, byte[] payload, byte[] signature, ServerSide server) throws Exception {
        return server.providers().holderSignatureVerifies(SignatureAlgorithms.forKey(key), key, payload, signature);
    }

    /** As the server's ra.CertificationRequest.parse: BouncyCastle PKCS#10, HolderSignatures.contentVerifier. */
    private static PublicKey proofOfPossession(byte[] der, ServerSide server) throws Exception {
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
        check(java.util.Arrays.equals(csr.getEncoded(), der), "CSR DER round trip");
        PublicKey key = PublicKeys.of(csr.getSubjectPublicKeyInfo());
        check(csr.isSignatureValid(server.providers().holderContentVerifier(key)), "CSR signature");
        return key;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " does not verify");
        }
    }

    /** The round with the median throughput. */
    static Result median(List<Result> rounds) {
        List<Result> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(Result::perSecond));
        return sorted.get(sorted.size() / 2);
    }

    /** The throw-away CA, also used to certify the SoftHSM2 card's keys. */
    EmbeddedCa ca() {
        return asServer.ca();
    }

    /** The server's provider choice, as the bound used it. */
    CryptoProviders providers() {
        return asServer.providers();
    }
}
