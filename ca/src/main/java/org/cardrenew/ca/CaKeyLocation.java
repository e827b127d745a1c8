package org.cardrenew.ca;

import java.nio.file.Path;
import java.util.Objects;

/** Where the CA keys live: a PKCS#12 file (the default) or a PKCS#11 HSM token (production). */
public sealed interface CaKeyLocation permits CaKeyLocation.Pkcs12File, CaKeyLocation.HsmToken {

    /**
     * A PKCS#12 keystore file, created on first start. The password protects the file and every key in it;
     * it comes from configuration only (there is deliberately no default).
     */
    record Pkcs12File(Path path, char[] password) implements CaKeyLocation {
        public Pkcs12File {
            Objects.requireNonNull(path, "PKCS#12 path");
        }

        @Override
        public String toString() {
            return "PKCS#12 file " + path;
        }
    }

    /**
     * A token of a PKCS#11 library, found by its label. The CA keys are generated on the token
     * (sensitive, non-extractable) and never leave it.
     */
    record HsmToken(Path library, String tokenLabel, char[] pin) implements CaKeyLocation {
        public HsmToken {
            Objects.requireNonNull(library, "PKCS#11 library");
            Objects.requireNonNull(tokenLabel, "token label");
        }

        @Override
        public String toString() {
            return "PKCS#11 token '" + tokenLabel + "' of " + library;
        }
    }
}
