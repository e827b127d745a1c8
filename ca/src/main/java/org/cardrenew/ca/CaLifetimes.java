package org.cardrenew.ca;

import java.time.Duration;

/** How long the root and issuing CA certificates are valid from their creation. */
public record CaLifetimes(Duration root, Duration issuing) {

    /** 20 years for the root, 10 for the issuing CA: it outlives several generations of holder certificates. */
    public static final CaLifetimes DEFAULT = new CaLifetimes(Duration.ofDays(7305), Duration.ofDays(3653));

    public CaLifetimes {
        if (root == null
                || issuing == null
                || root.isNegative()
                || root.isZero()
                || issuing.isNegative()
                || issuing.isZero()) {
            throw new IllegalArgumentException("CA lifetimes must be positive");
        }
        if (issuing.compareTo(root) > 0) {
            throw new IllegalArgumentException("the issuing CA cannot outlive the root CA");
        }
    }
}
