package org.cardrenew.server.ra;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.SignatureAlgorithms;

/** Verifies a signature a card made (challenge or confirmation) with an algorithm the RA accepts. */
final class CardSignature {

    private CardSignature() {}

    /**
     * @param onInvalid the code for a signature that does not verify
     * @throws RaException SIGNATURE_ALGORITHM_UNSUPPORTED for an algorithm outside {@link SignatureAlgorithms#ALLOWED}
     *     or one that does not fit the key type; {@code onInvalid} when the signature does not verify
     */
    static void verify(PublicKey key, String algorithm, byte[] payload, String base64Signature, ErrorCode onInvalid) {
        if (algorithm == null || !SignatureAlgorithms.ALLOWED.contains(algorithm) || !fits(key, algorithm)) {
            throw new RaException(
                    ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                    "algorithm " + algorithm + " is not allowed for a " + key.getAlgorithm() + " key");
        }
        byte[] signature = Base64Field.decode(base64Signature, onInvalid, "signature");
        if (!verifies(key, algorithm, payload, signature)
                // PKCS#11 CKM_ECDSA returns r||s (IEEE P1363), not DER: accept both encodings of the same signature.
                && !(key instanceof ECKey && verifies(key, algorithm + "inP1363Format", payload, signature))) {
            throw new RaException(onInvalid, algorithm + " signature does not verify with the certificate's key");
        }
    }

    private static boolean fits(PublicKey key, String algorithm) {
        if (key instanceof ECKey) {
            return algorithm.endsWith("withECDSA");
        }
        return "RSA".equals(key.getAlgorithm()) && algorithm.endsWith("withRSA");
    }

    private static boolean verifies(PublicKey key, String algorithm, byte[] payload, byte[] signature) {
        try {
            return HolderSignatures.verifies(algorithm, key, payload, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
