package org.cardrenew.ca;

/** The store's answer for a serial number of the issuing CA; the CA keeps no database of its own. */
@FunctionalInterface
public interface RevocationStatusLookup {

    RevocationStatus statusOf(SerialNumber serial);
}
