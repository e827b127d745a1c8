package org.cardrenew.agent.card;

import java.math.BigInteger;
import java.security.PublicKey;
import org.cardrenew.pkcs11.Attribute;
import org.cardrenew.pkcs11.Cka;
import org.cardrenew.pkcs11.Ckk;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.cardrenew.pkcs11.Pkcs11Session;

/**
 * The card's objects as the agent names them (object class and {@link ObjectId}) in one PKCS#11 session.
 * Callers synchronise.
 */
final class TokenObjects {

    private final Pkcs11Session session;

    TokenObjects(Pkcs11Session session) {
        this.session = session;
    }

    long[] find(Attribute... template) throws Pkcs11Exception {
        return session.find(template);
    }

    long[] find(long objectClass, ObjectId id) throws Pkcs11Exception {
        return session.find(Attribute.of(Cka.CLASS, objectClass), Attribute.of(Cka.ID, id.bytes()));
    }

    /** The first object of this class and id; a card failure when there is none. */
    long single(long objectClass, ObjectId id) throws Pkcs11Exception, CardException {
        long[] found = find(objectClass, id);
        if (found.length == 0) {
            throw new CardFailureException("no key " + id + " on the card");
        }
        return found[0];
    }

    void destroy(long objectClass, ObjectId id) throws Pkcs11Exception {
        for (long h : find(objectClass, id)) {
            session.destroy(h);
        }
    }

    ObjectId id(long handle) throws Pkcs11Exception {
        byte[] id = session.bytes(handle, Cka.ID);
        return new ObjectId(id == null ? new byte[0] : id);
    }

    PublicKey publicKey(long handle) throws Pkcs11Exception, CardException {
        long keyType = session.number(handle, Cka.KEY_TYPE);
        if (keyType == Ckk.RSA) {
            BigInteger[] rsa = session.integers(handle, Cka.MODULUS, Cka.PUBLIC_EXPONENT);
            return PublicKeys.rsa(rsa[0], rsa[1]);
        }
        if (keyType == Ckk.EC) {
            return PublicKeys.ec(session.bytes(handle, Cka.EC_PARAMS), session.bytes(handle, Cka.EC_POINT));
        }
        throw new CardFailureException("unsupported key type " + keyType);
    }
}
