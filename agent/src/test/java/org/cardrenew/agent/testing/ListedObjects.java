package org.cardrenew.agent.testing;

import java.util.ArrayList;
import java.util.List;
import org.cardrenew.testkit.Token;

/** The objects {@code pkcs11-tool --list-objects} (OpenSC, an independent PKCS#11 client) shows on a token. */
public record ListedObjects(List<Listed> objects) {

    /** One object: "Private Key", "Public Key" or "Certificate", with its label, hex CKA_ID and Usage line. */
    public record Listed(String type, String label, String id, String usage) {}

    public static ListedObjects of(Token token) {
        List<Listed> objects = new ArrayList<>();
        String type = null;
        String label = null;
        String id = null;
        String usage = null;
        for (String line : (token.listObjects() + "\nend").split("\n")) {
            if (!line.startsWith(" ") && !line.isBlank()) {
                if (type != null) {
                    objects.add(new Listed(type, label, id, usage));
                }
                type = line.startsWith("Private Key Object")
                        ? "Private Key"
                        : line.startsWith("Public Key Object")
                                ? "Public Key"
                                : line.startsWith("Certificate Object") ? "Certificate" : null;
                label = null;
                id = null;
                usage = null;
            } else if (line.trim().startsWith("label:")) {
                label = line.trim().substring(6).trim();
            } else if (line.trim().startsWith("ID:")) {
                id = line.trim().substring(3).trim();
            } else if (line.trim().startsWith("Usage:")) {
                usage = line.trim().substring(6).trim();
            }
        }
        return new ListedObjects(objects);
    }

    public List<Listed> ofType(String type) {
        return objects.stream().filter(o -> o.type().equals(type)).toList();
    }

    public List<String> labels(String type) {
        return ofType(type).stream().map(Listed::label).toList();
    }

    /** The Usage line of the private key with this label. */
    public String usageOf(String label) {
        return ofType("Private Key").stream()
                .filter(o -> label.equals(o.label()))
                .findFirst()
                .orElseThrow()
                .usage();
    }
}
