package org.cardrenew.agent.card;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.cardrenew.pkcs11.Ckm;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.cardrenew.pkcs11.Pkcs11Session;
import org.cardrenew.protocol.SignatureAlgorithms;

/** One signature on the card, in the algorithm the RA expects for the key (SignatureAlgorithms.forKey). */
final class CardSigning {

    private CardSigning() {}

    static CardSignature sign(Pkcs11Session session, long key, PublicKey publicKey, byte[] data)
            throws Pkcs11Exception, CardException {
        String algorithm = SignatureAlgorithms.forKey(publicKey);
        switch (algorithm) {
            case "SHA256withRSA" -> {
                return new CardSignature(algorithm, rsa(session, key, Ckm.SHA256_RSA_PKCS, data));
            }
            case "SHA384withRSA" -> {
                return new CardSignature(algorithm, rsa(session, key, Ckm.SHA384_RSA_PKCS, data));
            }
            case "SHA512withRSA" -> {
                return new CardSignature(algorithm, rsa(session, key, Ckm.SHA512_RSA_PKCS, data));
            }
            case "SHA256withECDSA" -> {
                return new CardSignature(algorithm, ecdsa(session, key, digest("SHA-256", data)));
            }
            case "SHA384withECDSA" -> {
                return new CardSignature(algorithm, ecdsa(session, key, digest("SHA-384", data)));
            }
            default -> throw new CardFailureException("no card mechanism for " + algorithm);
        }
    }

    private static byte[] rsa(Pkcs11Session session, long key, long mechanism, byte[] data) throws Pkcs11Exception {
        return session.sign(mechanism, key, data);
    }

    /**
     * CKM_ECDSA signs a hash computed here (not every token has CKM_ECDSA_SHA384) and returns r||s
     * (PKCS#11 v2.40 §2.3.1); JCA and X.509 want DER SEQUENCE{r, s} (RFC 3279 §2.2.3).
     */
    private static byte[] ecdsa(Pkcs11Session session, long key, byte[] hash) throws Pkcs11Exception, CardException {
        byte[] raw = session.sign(Ckm.ECDSA, key, hash);
        int half = raw.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length));
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        } catch (IOException e) {
            throw new CardFailureException("cannot encode the ECDSA signature", -1, e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }
}
