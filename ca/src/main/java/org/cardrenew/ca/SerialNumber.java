package org.cardrenew.ca;

import java.math.BigInteger;
import java.util.HexFormat;

/** A certificate serial number; written as lower-case hex without leading zeros. */
public record SerialNumber(BigInteger value) {

    public SerialNumber {
        if (value == null || value.signum() <= 0) {
            throw new IllegalArgumentException("RFC 5280 §4.1.2.2: a serial number is a positive integer");
        }
    }

    public static SerialNumber ofHex(String hex) {
        return new SerialNumber(new BigInteger(hex, 16));
    }

    public String hex() {
        return value.toString(16);
    }

    @Override
    public String toString() {
        return hex();
    }

    static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
