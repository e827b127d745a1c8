package org.cardrenew.ca;

import java.security.cert.X509Certificate;

/** A certificate the CA has just signed. */
public record IssuedCertificate(X509Certificate certificate, SerialNumber serial) {}
