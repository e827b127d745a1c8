package org.cardrenew.server.ra;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.cardrenew.ca.CryptoProviders;

/**
 * Verifies signatures made by holders' card keys (challenge, confirmation, CSR and CRMF proofs of possession, CMP
 * protection), through the providers {@link CryptoProviders#jvm()} chooses: native crypto (Amazon Corretto Crypto
 * Provider) for RSA PKCS#1 v1.5 and ECDSA on P-256/P-384 where it loads, BouncyCastle for the rest and where it does
 * not. Never the JDK's default: on JDK 17 SunEC's P-256 verification was 62% of the server's CPU in a renewal, and a
 * P-256 check of a new key costs 1,250 µs there, 260 µs in BouncyCastle, 70 µs in ACCP (docs/BENCHMARKS.md). Neither
 * provider is registered globally, so nothing else changes provider by accident.
 */
public final class HolderSignatures {

    private HolderSignatures() {}

    /**
     * Whether the signature with this JCA algorithm (e.g. SHA256withECDSA) verifies.
     *
     * @return true if it does; false, or a GeneralSecurityException, if it does not
     */
    public static boolean verifies(String algorithm, PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        return CryptoProviders.jvm().holderSignatureVerifies(algorithm, key, data, signature);
    }

    /** A BouncyCastle content verifier for PKCS#10 and CRMF proofs of possession and CMP protection. */
    public static ContentVerifierProvider contentVerifier(PublicKey key) throws OperatorCreationException {
        return CryptoProviders.jvm().holderContentVerifier(key);
    }
}
