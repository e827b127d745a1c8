package org.cardrenew.e2e;

import java.util.ArrayList;
import java.util.List;
import org.cardrenew.testkit.Token;

/**
 * What {@code pkcs11-tool --list-objects} (OpenSC, an independent PKCS#11 client) sees on a card: the current
 * objects, and apart from them the decryption history (old encryption keys and certificates, CKA_LABEL
 * {@code hist-...}).
 */
record CardObjects(
        List<String> privateKeyIds,
        List<String> certificateIds,
        List<String> publicKeyIds,
        List<String> historyKeyIds,
        List<String> historyCertificateIds) {

    static CardObjects of(Token token) {
        String listing = token.listObjects();
        List<String> priv = new ArrayList<>();
        List<String> certs = new ArrayList<>();
        List<String> pubs = new ArrayList<>();
        List<String> oldKeys = new ArrayList<>();
        List<String> oldCerts = new ArrayList<>();
        List<String> current = null;
        List<String> history = null;
        boolean historyLabel = false;
        for (String line : listing.split("\n")) {
            if (line.startsWith("Private Key Object")) {
                current = priv;
                history = oldKeys;
            } else if (line.startsWith("Certificate Object")) {
                current = certs;
                history = oldCerts;
            } else if (line.startsWith("Public Key Object")) {
                current = pubs;
                history = pubs;
            } else if (!line.startsWith(" ") && !line.isBlank()) {
                current = null;
            } else if (current != null && line.trim().startsWith("label:")) {
                historyLabel = line.trim().substring(6).trim().startsWith("hist-");
            } else if (current != null && line.trim().startsWith("ID:")) {
                (historyLabel ? history : current).add(line.trim().substring(3).trim());
                historyLabel = false;
            }
        }
        return new CardObjects(priv, certs, pubs, oldKeys, oldCerts);
    }

    /** Private keys with a certificate of the same ID on the card: the current pair (history apart). */
    List<String> certifiedKeyIds() {
        return privateKeyIds.stream().filter(certificateIds::contains).toList();
    }

    /** Private keys without a certificate: keys generated for a renewal that got no certificate (yet). */
    List<String> pendingKeyIds() {
        return privateKeyIds.stream().filter(id -> !certificateIds.contains(id)).toList();
    }
}
