package org.cardrenew.server.cmp;

import java.security.cert.X509Certificate;
import org.cardrenew.server.store.StoredCertificate;

/** The card whose current signing key protected a CMP message, and that certificate as stored. */
record CmpSender(StoredCertificate signing, X509Certificate certificate) {}
