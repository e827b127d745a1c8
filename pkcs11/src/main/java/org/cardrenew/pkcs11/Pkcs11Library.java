package org.cardrenew.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * A loaded PKCS#11 library (a card's middleware or an HSM's client): its tokens, found by label, and sessions on
 * them. The library stays loaded for the life of the JVM: PKCS#11 allows one C_Initialize per process, and the
 * JDK's wrapper keeps one instance per library path, shared with SunPKCS11.
 */
public final class Pkcs11Library {

    /** The option the JVM needs so that this package may call the JDK's internal wrapper. */
    public static final String JVM_OPTION = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private final PKCS11 p11;
    private final Path path;

    private Pkcs11Library(PKCS11 p11, Path path) {
        this.p11 = p11;
        this.path = path;
    }

    /**
     * Loads and initialises the library, or returns the instance already loaded from the same path.
     *
     * @throws IOException the library cannot be loaded, or the JVM lacks {@link #JVM_OPTION}
     * @throws Pkcs11Exception C_Initialize failed
     */
    public static Pkcs11Library load(Path library) throws IOException, Pkcs11Exception {
        try {
            return loadThroughWrapper(library);
        } catch (IllegalAccessError e) {
            // Caught here, not beside the wrapper's exceptions: looking up a handler that names a wrapper class
            // would itself fail with a new IllegalAccessError in the method that calls the wrapper.
            throw new IOException("the JVM needs the option " + JVM_OPTION + " to reach PKCS#11 tokens", e);
        }
    }

    private static Pkcs11Library loadThroughWrapper(Path library) throws IOException, Pkcs11Exception {
        try {
            // Initialised as SunPKCS11 does (OS locking), with the same path string: the wrapper caches one
            // instance per path, so a SunPKCS11 provider configured next shares this one.
            CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
            args.flags = PKCS11Constants.CKF_OS_LOCKING_OK;
            return new Pkcs11Library(PKCS11.getInstance(library.toString(), "C_GetFunctionList", args, false), library);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    public Path path() {
        return path;
    }

    /** Every slot with a token present, initialised or not, in the library's slot order. */
    public List<TokenInfo> tokens() throws Pkcs11Exception {
        try {
            List<TokenInfo> tokens = new ArrayList<>();
            for (long slot : p11.C_GetSlotList(true)) {
                tokens.add(tokenInfo(slot));
            }
            return tokens;
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** The token in one slot as it is now (flags such as the PIN counters change between calls). */
    public TokenInfo tokenInfo(long slot) throws Pkcs11Exception {
        try {
            CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
            // PKCS#11 v2.40 §3.2: the label is 32 bytes of UTF-8, padded with blanks.
            return new TokenInfo(
                    slot,
                    utf8(info.label).trim(),
                    utf8(info.serialNumber).trim(),
                    info.flags,
                    info.ulFreePublicMemory,
                    info.ulFreePrivateMemory);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** A read-write session on the token in this slot (PKCS#11 v2.40 §5.6: CKF_SERIAL_SESSION is required). */
    public Pkcs11Session openSession(long slot) throws Pkcs11Exception {
        try {
            long session = p11.C_OpenSession(
                    slot, PKCS11Constants.CKF_SERIAL_SESSION | PKCS11Constants.CKF_RW_SESSION, null, null);
            return new Pkcs11Session(p11, session);
        } catch (PKCS11Exception e) {
            throw Pkcs11Exception.of(e);
        }
    }

    /** The wrapper widens each label byte to a char; undo that to read UTF-8 labels such as 卡片. */
    private static String utf8(char[] chars) {
        byte[] bytes = new byte[chars.length];
        for (int i = 0; i < chars.length; i++) {
            bytes[i] = (byte) chars[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
