package org.cardrenew.e2e;

import java.util.ArrayList;
import java.util.List;
import org.cardrenew.testkit.Token;

/** What {@code pkcs11-tool --list-objects} (OpenSC, an independent PKCS#11 client) sees on a card. */
record CardObjects(List<String> privateKeyIds, List<String> certificateIds, List<String> publicKeyIds) {

    static CardObjects of(Token token) {
        String listing = token.listObjects();
        List<String> priv = new ArrayList<>();
        List<String> certs = new ArrayList<>();
        List<String> pubs = new ArrayList<>();
        List<String> current = null;
        for (String line : listing.split("\n")) {
            if (line.startsWith("Private Key Object")) {
                current = priv;
            } else if (line.startsWith("Certificate Object")) {
                current = certs;
            } else if (line.startsWith("Public Key Object")) {
                current = pubs;
            } else if (!line.startsWith(" ") && !line.isBlank()) {
                current = null;
            } else if (current != null && line.trim().startsWith("ID:")) {
                current.add(line.trim().substring(3).trim());
            }
        }
        return new CardObjects(priv, certs, pubs);
    }
}
