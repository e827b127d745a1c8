package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.server.store.StoredCertificate;

/**
 * A card that proved possession of its current signing key, as the store knows it.
 *
 * @param standing the signing certificate's status at the clock ({@link RenewalWindow}), accepted by the use
 */
public record AuthenticatedCard(X509Certificate certificate, CurrentPair pair, CertificateStatus standing) {

    /** The card's signing certificate as stored. */
    public StoredCertificate signing() {
        return pair.signing();
    }

    public String serial() {
        return pair.signing().serial();
    }
}
