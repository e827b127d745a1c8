package org.cardrenew.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.ca.CaUnavailableException.Problem;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Finds the slot of a token by its label. SunPKCS11 is configured by slot, but slot numbers change with the
 * order tokens are plugged in or initialised; the label is what an operator names. Only the JDK-internal wrapper
 * offers C_GetSlotList/C_GetTokenInfo, so this needs
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} at compile and run time.
 */
final class TokenSlots {

    private static final long CKF_TOKEN_INITIALIZED = 0x400;

    private TokenSlots() {}

    static long slotOf(Path library, String label) {
        if (!Files.isReadable(library)) {
            throw new CaUnavailableException(Problem.HSM_LIBRARY_UNUSABLE,
                    "the PKCS#11 library " + library + " does not exist or cannot be read");
        }
        PKCS11 module = module(library);
        List<String> seen = new ArrayList<>();
        try {
            for (long slot : module.C_GetSlotList(true)) {
                CK_TOKEN_INFO info = module.C_GetTokenInfo(slot);
                if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) {
                    continue; // an empty slot such as SoftHSM2's spare one: no label to match
                }
                // PKCS#11 v2.40 §3.2: the label is 32 bytes of UTF-8, padded with blanks.
                String tokenLabel = utf8(info.label).trim();
                seen.add(tokenLabel);
                if (tokenLabel.equals(label.trim())) {
                    return slot;
                }
            }
        } catch (PKCS11Exception e) {
            throw new CaUnavailableException(Problem.HSM_LIBRARY_UNUSABLE,
                    "cannot list the tokens of " + library + ": " + e.getMessage(), e);
        }
        throw new CaUnavailableException(Problem.TOKEN_NOT_FOUND, "no token labelled '" + label + "' in " + library
                + (seen.isEmpty() ? " (no token present)" : " (present: " + String.join(", ", seen) + ")"));
    }

    private static PKCS11 module(Path library) {
        // Initialise as SunPKCS11 does (OS locking) so the provider created next shares this module instance.
        CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
        args.flags = PKCS11Constants.CKF_OS_LOCKING_OK;
        try {
            return PKCS11.getInstance(library.toString(), "C_GetFunctionList", args, false);
        } catch (IOException | PKCS11Exception e) {
            throw new CaUnavailableException(Problem.HSM_LIBRARY_UNUSABLE,
                    "cannot load the PKCS#11 library " + library + ": " + e.getMessage(), e);
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
