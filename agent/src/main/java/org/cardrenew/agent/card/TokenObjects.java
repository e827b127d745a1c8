package org.cardrenew.agent.card;

import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CLASS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_MODULUS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_PUBLIC_EXPONENT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKK_EC;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKK_RSA;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/** Object search, attribute reads and deletion in one PKCS#11 session. Callers synchronise. */
final class TokenObjects {

    private final PKCS11 p11;
    private final long session;

    TokenObjects(PKCS11 p11, long session) {
        this.p11 = p11;
        this.session = session;
    }

    long[] find(CK_ATTRIBUTE... template) throws PKCS11Exception {
        p11.C_FindObjectsInit(session, template);
        List<Long> found = new ArrayList<>();
        try {
            while (true) {
                long[] batch = p11.C_FindObjects(session, 64);
                if (batch == null || batch.length == 0) {
                    break;
                }
                for (long h : batch) {
                    found.add(h);
                }
            }
        } finally {
            p11.C_FindObjectsFinal(session);
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    long[] find(long objectClass, ObjectId id) throws PKCS11Exception {
        return find(new CK_ATTRIBUTE(CKA_CLASS, objectClass), new CK_ATTRIBUTE(CKA_ID, id.bytes()));
    }

    /** The first object of this class and id; a card failure when there is none. */
    long single(long objectClass, ObjectId id) throws PKCS11Exception, CardException {
        long[] found = find(objectClass, id);
        if (found.length == 0) {
            throw new CardFailureException("no key " + id + " on the card");
        }
        return found[0];
    }

    void destroy(long objectClass, ObjectId id) throws PKCS11Exception {
        for (long h : find(objectClass, id)) {
            p11.C_DestroyObject(session, h);
        }
    }

    ObjectId id(long handle) throws PKCS11Exception {
        byte[] id = bytes(handle, CKA_ID);
        return new ObjectId(id == null ? new byte[0] : id);
    }

    /** An attribute's bytes, or null when the object has no such attribute or it is sensitive. */
    byte[] bytes(long handle, long type) throws PKCS11Exception {
        CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(type)};
        try {
            p11.C_GetAttributeValue(session, handle, a);
        } catch (PKCS11Exception e) {
            if (e.getErrorCode() == Ckr.ATTRIBUTE_TYPE_INVALID || e.getErrorCode() == Ckr.ATTRIBUTE_SENSITIVE) {
                return null;
            }
            throw e;
        }
        return a[0].pValue == null ? null : a[0].getByteArray();
    }

    PublicKey publicKey(long handle) throws PKCS11Exception, CardException {
        CK_ATTRIBUTE[] type = {new CK_ATTRIBUTE(CKA_KEY_TYPE)};
        p11.C_GetAttributeValue(session, handle, type);
        long keyType = type[0].getLong();
        if (keyType == CKK_RSA) {
            CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(CKA_MODULUS), new CK_ATTRIBUTE(CKA_PUBLIC_EXPONENT)};
            p11.C_GetAttributeValue(session, handle, a);
            return PublicKeys.rsa(a[0].getBigInteger(), a[1].getBigInteger());
        }
        if (keyType == CKK_EC) {
            return PublicKeys.ec(bytes(handle, CKA_EC_PARAMS), bytes(handle, CKA_EC_POINT));
        }
        throw new CardFailureException("unsupported key type " + keyType);
    }
}
