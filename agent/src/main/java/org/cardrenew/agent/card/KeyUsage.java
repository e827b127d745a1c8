package org.cardrenew.agent.card;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardrenew.pkcs11.Cka;

/**
 * Every usage attribute of a holder key pair, set explicitly at generation (a left-out attribute takes the
 * token's default: SoftHSM2 lets every private key decrypt, sign and unwrap) and read back afterwards.
 * <ul>
 *   <li>signing key: signs only. It is the non-repudiation key: it must never decrypt, unwrap or derive.</li>
 *   <li>RSA encryption key: decrypt and unwrap (documents and mail keys encrypted to it), and sign — the only
 *       way to prove possession in its PKCS#10 request (RFC 2986 §3) and to check the written pair.</li>
 *   <li>EC encryption key: derive (ECDH, RFC 5753 key agreement) and sign, for the same two reasons.</li>
 * </ul>
 * Sign-recover is never allowed: it would let the key act as raw RSA on chosen data.
 */
final class KeyUsage {

    private static final Map<Long, String> NAMES = Map.of(
            Cka.SIGN,
            "CKA_SIGN",
            Cka.SIGN_RECOVER,
            "CKA_SIGN_RECOVER",
            Cka.DECRYPT,
            "CKA_DECRYPT",
            Cka.UNWRAP,
            "CKA_UNWRAP",
            Cka.DERIVE,
            "CKA_DERIVE",
            Cka.VERIFY,
            "CKA_VERIFY",
            Cka.VERIFY_RECOVER,
            "CKA_VERIFY_RECOVER",
            Cka.ENCRYPT,
            "CKA_ENCRYPT",
            Cka.WRAP,
            "CKA_WRAP");

    private KeyUsage() {}

    /** The usage attributes of the private key, in a fixed order. */
    static Map<Long, Boolean> privateKey(KeyPurpose purpose, KeySpec spec) {
        boolean encryption = purpose == KeyPurpose.ENCRYPTION;
        Map<Long, Boolean> usage = new LinkedHashMap<>();
        usage.put(Cka.SIGN, true);
        usage.put(Cka.SIGN_RECOVER, false);
        usage.put(Cka.DECRYPT, encryption && spec.isRsa());
        usage.put(Cka.UNWRAP, encryption && spec.isRsa());
        usage.put(Cka.DERIVE, encryption && !spec.isRsa());
        return usage;
    }

    /** The usage attributes of the public key object (kept only while the key is pending). */
    static Map<Long, Boolean> publicKey(KeyPurpose purpose, KeySpec spec) {
        boolean rsaEncryption = purpose == KeyPurpose.ENCRYPTION && spec.isRsa();
        Map<Long, Boolean> usage = new LinkedHashMap<>();
        usage.put(Cka.VERIFY, true);
        usage.put(Cka.VERIFY_RECOVER, false);
        usage.put(Cka.ENCRYPT, rsaEncryption);
        usage.put(Cka.WRAP, rsaEncryption);
        usage.put(Cka.DERIVE, false);
        return usage;
    }

    /**
     * The attributes the card did not set as asked, by name. An attribute the card does not report counts
     * only where it was wanted true: a usage the token does not know is one the key cannot be used for.
     *
     * @param read the values read back after generation; null where the token reports none
     */
    static List<String> ignored(Map<Long, Boolean> wanted, Map<Long, Boolean> read) {
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<Long, Boolean> w : wanted.entrySet()) {
            Boolean actual = read.get(w.getKey());
            if (actual == null ? w.getValue() : !actual.equals(w.getValue())) {
                ignored.add(name(w.getKey()) + (w.getValue() ? " true" : " false"));
            }
        }
        return ignored;
    }

    static String name(long attribute) {
        return NAMES.getOrDefault(attribute, String.format("0x%X", attribute));
    }
}
