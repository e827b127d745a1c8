package org.cardrenew.pkcs11;

import java.math.BigInteger;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;

/** One entry of an object template or a search: an attribute type ({@link Cka}) and its value. */
public final class Attribute {

    private final long type;
    private final Object value;

    private Attribute(long type, Object value) {
        this.type = type;
        this.value = value;
    }

    public static Attribute of(long type, boolean value) {
        return new Attribute(type, value);
    }

    public static Attribute of(long type, long value) {
        return new Attribute(type, value);
    }

    public static Attribute of(long type, byte[] value) {
        return new Attribute(type, value.clone());
    }

    public static Attribute of(long type, BigInteger value) {
        return new Attribute(type, value);
    }

    public long type() {
        return type;
    }

    /** The wrapper's form: a CK_BBOOL and a CK_ULONG have constructors of their own (the native side reads them so). */
    CK_ATTRIBUTE toWrapper() {
        if (value instanceof Boolean b) {
            return new CK_ATTRIBUTE(type, b.booleanValue());
        }
        if (value instanceof Long l) {
            return new CK_ATTRIBUTE(type, l.longValue());
        }
        if (value instanceof BigInteger i) {
            return new CK_ATTRIBUTE(type, i);
        }
        return new CK_ATTRIBUTE(type, value);
    }

    static CK_ATTRIBUTE[] toWrapper(Attribute... template) {
        CK_ATTRIBUTE[] wrapped = new CK_ATTRIBUTE[template.length];
        for (int i = 0; i < template.length; i++) {
            wrapped[i] = template[i].toWrapper();
        }
        return wrapped;
    }
}
