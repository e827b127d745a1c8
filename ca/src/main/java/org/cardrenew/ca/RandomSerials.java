package org.cardrenew.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Random certificate serial numbers: 16 bytes from a CSPRNG with the top bit cleared, so 127 bits of entropy in a
 * positive INTEGER of at most 16 octets. RFC 5280 §4.1.2.2 allows at most 20 octets and requires a positive
 * number; CA/Browser Forum Baseline Requirements §7.1 require at least 64 bits of CSPRNG output.
 */
final class RandomSerials {

    private static final int BYTES = 16;

    private final SecureRandom random = new SecureRandom();

    SerialNumber next() {
        byte[] bytes = new byte[BYTES];
        BigInteger value;
        do {
            random.nextBytes(bytes);
            bytes[0] &= 0x7f;
            value = new BigInteger(1, bytes);
        } while (value.signum() == 0);
        return new SerialNumber(value);
    }
}
