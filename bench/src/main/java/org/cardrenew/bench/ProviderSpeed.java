package org.cardrenew.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.cardrenew.ca.CaKeyType;
import org.cardrenew.ca.CryptoProviders;

/**
 * Single-thread signatures and verifications per second of the JDK's providers, BouncyCastle's and, where it loads,
 * native crypto (ACCP; none of the last two registered): evidence for the choices {@link CryptoProviders} makes.
 */
final class ProviderSpeed {

    record Line(String what, String provider, double perSecond) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-28s %-12s %8.0f/s", what, provider, perSecond);
        }
    }

    private ProviderSpeed() {}

    static List<Line> measure(CaKeyType caKey, HolderKeyType holderKey) throws Exception {
        Provider bc = new BouncyCastleProvider();
        Provider accp = CryptoProviders.jvm().nativeProvider().orElse(null);
        List<Line> lines = new ArrayList<>();
        boolean ec = holderKey == HolderKeyType.P256 || caKey == CaKeyType.P256;
        boolean rsa = holderKey == HolderKeyType.RSA_2048 || caKey == CaKeyType.RSA_2048;
        byte[] data = "CardRenew/v1 status\\nbench".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (ec) {
            KeyPair k = generate("EC", new ECGenParameterSpec("secp256r1"));
            byte[] sig = sign(k, "SHA256withECDSA", null, data);
            lines.add(new Line("P-256 verify", "SunEC", rate(() -> verify(k, "SHA256withECDSA", null, data, sig))));
            lines.add(new Line("P-256 verify", "BC", rate(() -> verify(k, "SHA256withECDSA", bc, data, sig))));
            lines.add(new Line("P-256 sign", "SunEC", rate(() -> sign(k, "SHA256withECDSA", null, data))));
            lines.add(new Line("P-256 sign", "BC", rate(() -> sign(k, "SHA256withECDSA", bc, data))));
            if (accp != null) {
                // The JDK's key objects, as the server gets them from a certificate or CSR: ACCP converts each time.
                lines.add(new Line("P-256 verify", "ACCP", rate(() -> verify(k, "SHA256withECDSA", accp, data, sig))));
                lines.add(new Line("P-256 sign", "ACCP", rate(() -> sign(k, "SHA256withECDSA", accp, data))));
            }
        }
        if (rsa) {
            KeyPair k = generate(
                    "RSA", new java.security.spec.RSAKeyGenParameterSpec(2048, java.math.BigInteger.valueOf(65537)));
            byte[] sig = sign(k, "SHA256withRSA", null, data);
            lines.add(new Line("RSA-2048 sign", "SunRsaSign", rate(() -> sign(k, "SHA256withRSA", null, data))));
            lines.add(
                    new Line("RSA-2048 verify", "SunRsaSign", rate(() -> verify(k, "SHA256withRSA", null, data, sig))));
            if (accp != null) {
                // The CA's case: the key translated once (CryptoProviders.caSigningKey), then signed with.
                java.security.KeyFactory factory = java.security.KeyFactory.getInstance("RSA", accp);
                KeyPair translated = new KeyPair(
                        (java.security.PublicKey) factory.translateKey(k.getPublic()),
                        (java.security.PrivateKey) factory.translateKey(k.getPrivate()));
                lines.add(new Line("RSA-2048 sign", "ACCP", rate(() -> sign(translated, "SHA256withRSA", accp, data))));
                lines.add(new Line(
                        "RSA-2048 verify", "ACCP", rate(() -> verify(translated, "SHA256withRSA", accp, data, sig))));
            }
        }
        return lines;
    }

    private interface Op {
        void run() throws Exception;
    }

    /** Operations per second over one second, after a half-second warm-up. */
    private static double rate(Op op) throws Exception {
        long warm = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warm) {
            op.run();
        }
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L) {
            op.run();
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static KeyPair generate(String algorithm, java.security.spec.AlgorithmParameterSpec spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(spec);
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair k, String algorithm, Provider p, byte[] data) throws Exception {
        Signature s = p == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, p);
        s.initSign(k.getPrivate());
        s.update(data);
        return s.sign();
    }

    private static void verify(KeyPair k, String algorithm, Provider p, byte[] data, byte[] sig) throws Exception {
        Signature s = p == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, p);
        s.initVerify(k.getPublic());
        s.update(data);
        if (!s.verify(sig)) {
            throw new IllegalStateException(algorithm + " does not verify");
        }
    }
}
