package org.cardrenew.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A SoftHSM2 token made for a test. */
public record Token(String label, String userPin, String library, Path conf) {

    /** Writes the DER certificate with this CKA_ID (hex) to a file, read by pkcs11-tool; returns the file. */
    public Path exportCertificate(String idHex, Path file) {
        Tools.run(
                List.of(
                        "pkcs11-tool",
                        "--module",
                        library,
                        "--token-label",
                        label,
                        "--read-object",
                        "--type",
                        "cert",
                        "--id",
                        idHex,
                        "--output-file",
                        file.toString()),
                Map.of("SOFTHSM2_CONF", conf.toString()));
        return file;
    }

    /** {@code pkcs11-tool --list-objects} of this token (logged in), as text. */
    public String listObjects() {
        return Tools.run(
                List.of(
                        "pkcs11-tool",
                        "--module",
                        library,
                        "--token-label",
                        label,
                        "--login",
                        "--pin",
                        userPin,
                        "--list-objects"),
                Map.of("SOFTHSM2_CONF", conf.toString()));
    }
}
