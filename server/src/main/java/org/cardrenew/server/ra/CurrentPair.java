package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.StoredCertificate;

/**
 * A card pair with both its certificates and its renewal, if one was started; without one, the renewal of this pair
 * closed unconfirmed most recently, if any.
 */
public record CurrentPair(
        CardPair pair,
        StoredCertificate signing,
        StoredCertificate encryption,
        Optional<Renewal> renewal,
        Optional<RenewalId> lastClosed) {

    public CurrentPair(
            CardPair pair, StoredCertificate signing, StoredCertificate encryption, Optional<Renewal> renewal) {
        this(pair, signing, encryption, renewal, Optional.empty());
    }

    public CertificateFacts facts() {
        return new CertificateFacts(
                signing.notAfter(),
                signing.revoked() || encryption.revoked(),
                pair.status(),
                renewal.map(Renewal::state).orElse(null));
    }

    public X509Certificate signingCertificate() {
        return DerCertificates.parse(signing.der().bytes());
    }

    public X509Certificate encryptionCertificate() {
        return DerCertificates.parse(encryption.der().bytes());
    }
}
