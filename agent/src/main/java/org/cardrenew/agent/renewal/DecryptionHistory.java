package org.cardrenew.agent.renewal;

import java.util.Locale;

/**
 * How many old encryption keys (with their certificates) a card keeps after renewals, so that what was
 * encrypted to them stays readable: the holder's option {@code --keep-decryption-keys N} /
 * {@code keep-decryption-keys=N}. The default keeps them all, until the card is full; 0 keeps none (the
 * old encryption key is deleted with the old signing key, as before issue 12).
 *
 * @param keep at most this many history entries; {@link Integer#MAX_VALUE} for all
 */
public record DecryptionHistory(int keep) {

    /** Keep every old encryption key the card has room for. */
    public static final DecryptionHistory ALL = new DecryptionHistory(Integer.MAX_VALUE);

    public DecryptionHistory {
        if (keep < 0) {
            throw new IllegalArgumentException("keep-decryption-keys must be 0 or more, or 'all'");
        }
    }

    /**
     * {@code all} or a number 0..1000; null or blank for the default ({@link #ALL}).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static DecryptionHistory parse(String value) {
        if (value == null
                || value.isBlank()
                || value.trim().toLowerCase(Locale.ROOT).equals("all")) {
            return ALL;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= 1000) {
                return new DecryptionHistory(n);
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException(
                "keep-decryption-keys takes 'all' or a number from 0 to 1000, not '" + value + "'");
    }

    /** True when a superseded encryption key is kept at all. */
    public boolean keepsAny() {
        return keep > 0;
    }

    @Override
    public String toString() {
        return keep == Integer.MAX_VALUE ? "all" : Integer.toString(keep);
    }
}
