package org.cardrenew.protocol;

/** The parts of a holder certificate's subject shown on the status page. */
public record Subject(
        String country, String organization, String commonName, String serialNumber, String distinguishedName) {}
