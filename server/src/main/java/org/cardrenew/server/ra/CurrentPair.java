package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.StoredCertificate;

/** A card pair with both its certificates and its renewal, if one was started. */
public record CurrentPair(CardPair pair, StoredCertificate signing, StoredCertificate encryption, Optional<Renewal> renewal) {

    public CertificateFacts facts() {
        return new CertificateFacts(signing.notAfter(), signing.revoked() || encryption.revoked(), pair.status(),
                renewal.map(Renewal::state).orElse(null));
    }

    public X509Certificate signingCertificate() {
        return DerCertificates.parse(signing.der());
    }

    public X509Certificate encryptionCertificate() {
        return DerCertificates.parse(encryption.der());
    }
}
