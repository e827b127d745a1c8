package org.cardrenew.server.ra;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Verifies signatures made by holders' card keys (challenge, confirmation, CSR proof of possession).
 * Through BouncyCastle rather than the JDK's default provider: on JDK 17, SunEC's P-256 verification was
 * 62% of the server's CPU in a renewal (docs/BENCHMARKS.md), and BouncyCastle verifies P-256 2–4.6× faster
 * there. The provider is not registered globally, so the CA keeps signing through its own provider.
 */
public final class HolderSignatures {

    private static final Provider PROVIDER = new BouncyCastleProvider();

    private HolderSignatures() {}

    /** A JCA verifier for one signature with this algorithm (e.g. SHA256withECDSA). */
    public static Signature verifier(String algorithm, PublicKey key) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm, PROVIDER);
        verifier.initVerify(key);
        return verifier;
    }

    /** A BouncyCastle content verifier for PKCS#10 and CRMF proofs of possession. */
    public static ContentVerifierProvider contentVerifier(PublicKey key) throws OperatorCreationException {
        return new JcaContentVerifierProviderBuilder().setProvider(PROVIDER).build(key);
    }
}
