package org.cardrenew.pkcs11;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * One read-write session on a token: login, object search, attribute reads and writes, key generation and
 * signatures. Objects are named by their handles (valid in this session). Not thread-safe: callers synchronise.
 */
public final class Pkcs11Session {

    private static final int FIND_BATCH = 64;

    private final PKCS11 p11;
    private final long session;

    Pkcs11Session(PKCS11 p11, long session) {
        this.p11 = p11;
        this.session = session;
    }

    /** Logs the user in (CKU_USER). The PIN array is left to the caller to clear. */
    public void login(char[] pin) throws Pkcs11Exception {
        try {
            p11.C_Login(session, PKCS11Constants.CKU_USER, pin);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public void logout() throws Pkcs11Exception {
        try {
            p11.C_Logout(session);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public void close() throws Pkcs11Exception {
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** The handles of every object matching the template, in the token's order. */
    public long[] find(Attribute... template) throws Pkcs11Exception {
        try {
            p11.C_FindObjectsInit(session, Attribute.toWrapper(template));
            long[] found = new long[0];
            try {
                while (true) {
                    long[] batch = p11.C_FindObjects(session, FIND_BATCH);
                    if (batch == null || batch.length == 0) {
                        break;
                    }
                    int had = found.length;
                    found = Arrays.copyOf(found, had + batch.length);
                    System.arraycopy(batch, 0, found, had, batch.length);
                }
            } finally {
                p11.C_FindObjectsFinal(session);
            }
            return found;
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** An attribute's bytes, or null when the object has no such attribute or it is sensitive. */
    public byte[] bytes(long handle, long type) throws Pkcs11Exception {
        CK_ATTRIBUTE a = read(handle, type);
        return a == null ? null : a.getByteArray();
    }

    /** A CK_BBOOL attribute, or null when the object has no such attribute. */
    public Boolean flag(long handle, long type) throws Pkcs11Exception {
        CK_ATTRIBUTE a = read(handle, type);
        return a == null ? null : a.getBoolean();
    }

    /** A CK_ULONG attribute such as CKA_KEY_TYPE; the object must have it. */
    public long number(long handle, long type) throws Pkcs11Exception {
        CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(type)};
        try {
            p11.C_GetAttributeValue(session, handle, a);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
        return a[0].getLong();
    }

    /** Big-integer attributes such as CKA_MODULUS and CKA_PUBLIC_EXPONENT, read in one call; the object must have them. */
    public BigInteger[] integers(long handle, long... types) throws Pkcs11Exception {
        CK_ATTRIBUTE[] a = new CK_ATTRIBUTE[types.length];
        for (int i = 0; i < types.length; i++) {
            a[i] = new CK_ATTRIBUTE(types[i]);
        }
        try {
            p11.C_GetAttributeValue(session, handle, a);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
        BigInteger[] values = new BigInteger[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = a[i].getBigInteger();
        }
        return values;
    }

    /** CKA_LABEL (the wrapper hands it over as chars), or null when the object has none. */
    public String label(long handle) throws Pkcs11Exception {
        CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(Cka.LABEL)};
        try {
            p11.C_GetAttributeValue(session, handle, a);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
        if (a[0].pValue instanceof char[] chars) {
            return new String(chars);
        }
        return a[0].pValue instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    /** A key pair made on the token: the handles of the public key [0] and the private key [1]. */
    public long[] generateKeyPair(long mechanism, Attribute[] publicKey, Attribute[] privateKey)
            throws Pkcs11Exception {
        try {
            return p11.C_GenerateKeyPair(
                    session,
                    new CK_MECHANISM(mechanism),
                    Attribute.toWrapper(publicKey),
                    Attribute.toWrapper(privateKey));
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** One single-part signature (C_SignInit, C_Sign) with a mechanism that takes no parameter. */
    public byte[] sign(long mechanism, long key, byte[] data) throws Pkcs11Exception {
        try {
            p11.C_SignInit(session, new CK_MECHANISM(mechanism), key);
            return p11.C_Sign(session, data);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public long create(Attribute... template) throws Pkcs11Exception {
        try {
            return p11.C_CreateObject(session, Attribute.toWrapper(template));
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public void set(long handle, Attribute... values) throws Pkcs11Exception {
        try {
            p11.C_SetAttributeValue(session, handle, Attribute.toWrapper(values));
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public void destroy(long handle) throws Pkcs11Exception {
        try {
            p11.C_DestroyObject(session, handle);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /**
     * Reads one attribute: the wrapper puts a new CK_ATTRIBUTE into the array, so the answer is the array's
     * element. Null when the object has no such attribute, it is sensitive, or it is empty.
     */
    private CK_ATTRIBUTE read(long handle, long type) throws Pkcs11Exception {
        CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(type)};
        try {
            p11.C_GetAttributeValue(session, handle, a);
        } catch (PKCS11Exception e) {
            if (e.getErrorCode() == Ckr.ATTRIBUTE_TYPE_INVALID || e.getErrorCode() == Ckr.ATTRIBUTE_SENSITIVE) {
                return null;
            }
            throw Pkcs11Exception.of(e);
        }
        return a[0].pValue == null ? null : a[0];
    }
}
