package org.cardrenew.agent.card;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What is on the card, as the renewal sees it: holder certificates (one generation per renewal), decryption
 * history and pending keys. Recognises an interrupted renewal: pending keys without certificates, or two
 * generations of a purpose (the new one written, the old one not yet deleted or kept as history).
 *
 * @param entries         holder certificates (CA certificates are not listed), history excluded
 * @param history         old encryption certificates kept, with their keys, to decrypt what was sent to them
 *                        (marked by their CKA_LABEL); never a generation, never current, never resumed
 * @param pending         agent-generated private keys without a certificate
 * @param strayPublicKeys token public key objects whose private key already has its certificate
 */
public record CardContents(
        List<CardEntry> entries, List<CardEntry> history, List<PendingKey> pending, List<ObjectId> strayPublicKeys) {

    /** Oldest first: by notBefore, then notAfter. */
    private static final Comparator<CardEntry> AGE = Comparator.comparing(
                    (CardEntry e) -> e.certificate().getNotBefore())
            .thenComparing(e -> e.certificate().getNotAfter());

    public CardContents {
        entries = List.copyOf(entries);
        history = history.stream().sorted(AGE).toList();
        pending = List.copyOf(pending);
        strayPublicKeys = List.copyOf(strayPublicKeys);
    }

    /** The usable certificates of a purpose (with their private key), oldest first. */
    public List<CardEntry> generations(KeyPurpose purpose) {
        return entries.stream()
                .filter(e -> e.purpose() == purpose && e.hasPrivateKey())
                .sorted(AGE)
                .toList();
    }

    /** The certificate the RA knows as current: the oldest usable one. */
    public Optional<CardEntry> oldest(KeyPurpose purpose) {
        return generations(purpose).stream().findFirst();
    }

    public Optional<CardEntry> newest(KeyPurpose purpose) {
        List<CardEntry> g = generations(purpose);
        return g.isEmpty() ? Optional.empty() : Optional.of(g.get(g.size() - 1));
    }

    /** True when a newer certificate of this purpose was written next to the one it replaces. */
    public boolean hasNewGeneration(KeyPurpose purpose) {
        return generations(purpose).size() > 1;
    }

    public Optional<PendingKey> pending(KeyPurpose purpose) {
        return pending.stream().filter(p -> p.purpose() == purpose).findFirst();
    }

    /** Everything of this purpose that a completed renewal removes: all but the newest usable certificate. */
    public List<CardEntry> superseded(KeyPurpose purpose) {
        Optional<CardEntry> keep = newest(purpose);
        return entries.stream()
                .filter(e -> e.purpose() == purpose && !keep.map(e::equals).orElse(false))
                .toList();
    }

    /** The history entry of this certificate serial (hex, as listed), if the card keeps one. */
    public Optional<CardEntry> historyEntry(String serialHex) {
        return history.stream()
                .filter(e -> e.certificate().getSerialNumber().toString(16).equalsIgnoreCase(serialHex))
                .findFirst();
    }

    public boolean isEmpty() {
        return entries.isEmpty() && history.isEmpty() && pending.isEmpty();
    }
}
