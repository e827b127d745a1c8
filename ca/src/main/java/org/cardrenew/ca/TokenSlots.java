package org.cardrenew.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.ca.CaUnavailableException.Problem;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.cardrenew.pkcs11.Pkcs11Library;
import org.cardrenew.pkcs11.TokenInfo;

/**
 * Finds the slot of a token by its label. SunPKCS11 is configured by slot, but slot numbers change with the
 * order tokens are plugged in or initialised; the label is what an operator names. The slot list and the token
 * labels come from the {@code pkcs11} module (SunPKCS11 offers neither).
 */
final class TokenSlots {

    private TokenSlots() {}

    static long slotOf(Path library, String label) {
        if (!Files.isReadable(library)) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE,
                    "the PKCS#11 library " + library + " does not exist or cannot be read");
        }
        List<String> seen = new ArrayList<>();
        try {
            for (TokenInfo token : Pkcs11Library.load(library).tokens()) {
                if (!token.initialized()) {
                    continue; // an empty slot such as SoftHSM2's spare one: no label to match
                }
                seen.add(token.label());
                if (token.isLabelled(label)) {
                    return token.slot();
                }
            }
        } catch (IOException e) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE,
                    "cannot load the PKCS#11 library " + library + ": " + e.getMessage(),
                    e);
        } catch (Pkcs11Exception e) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE, "cannot list the tokens of " + library + ": " + e.getMessage(), e);
        }
        throw new CaUnavailableException(
                Problem.TOKEN_NOT_FOUND,
                "no token labelled '" + label + "' in " + library
                        + (seen.isEmpty() ? " (no token present)" : " (present: " + String.join(", ", seen) + ")"));
    }
}
