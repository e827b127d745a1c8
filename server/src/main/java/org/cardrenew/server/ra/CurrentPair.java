package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.StoredCertificate;

/**
 * A card pair with both its certificates and its renewal, if one was started; without one, the renewal of this pair
 * closed unconfirmed most recently, if any.
 *
 * <p>The certificates are parsed from their stored DER on first use and kept: a renewal reads the old pair's subjects
 * for the CSR check, the issuance intent and the new certificates, five parses of two certificates before issue 14's
 * session 10.
 */
public final class CurrentPair {

    private final CardPair pair;
    private final StoredCertificate signing;
    private final StoredCertificate encryption;
    private final Optional<Renewal> renewal;
    private final Optional<RenewalId> lastClosed;
    private volatile X509Certificate signingCertificate;
    private volatile X509Certificate encryptionCertificate;
    private volatile X500Principal encryptionSubject;

    public CurrentPair(
            CardPair pair,
            StoredCertificate signing,
            StoredCertificate encryption,
            Optional<Renewal> renewal,
            Optional<RenewalId> lastClosed) {
        this.pair = pair;
        this.signing = signing;
        this.encryption = encryption;
        this.renewal = renewal;
        this.lastClosed = lastClosed;
    }

    public CurrentPair(
            CardPair pair, StoredCertificate signing, StoredCertificate encryption, Optional<Renewal> renewal) {
        this(pair, signing, encryption, renewal, Optional.empty());
    }

    public CardPair pair() {
        return pair;
    }

    public StoredCertificate signing() {
        return signing;
    }

    public StoredCertificate encryption() {
        return encryption;
    }

    public Optional<Renewal> renewal() {
        return renewal;
    }

    public Optional<RenewalId> lastClosed() {
        return lastClosed;
    }

    public CertificateFacts facts() {
        return new CertificateFacts(
                signing.notAfter(),
                signing.revoked() || encryption.revoked(),
                pair.status(),
                renewal.map(Renewal::state).orElse(null));
    }

    public X509Certificate signingCertificate() {
        X509Certificate parsed = signingCertificate;
        if (parsed == null) {
            parsed = DerCertificates.parse(signing.der().bytes());
            signingCertificate = parsed;
        }
        return parsed;
    }

    public X509Certificate encryptionCertificate() {
        X509Certificate parsed = encryptionCertificate;
        if (parsed == null) {
            parsed = DerCertificates.parse(encryption.der().bytes());
            encryptionCertificate = parsed;
        }
        return parsed;
    }

    /**
     * The encryption certificate's subject, exactly as encoded: read from the stored DER alone unless the certificate
     * was parsed already (a renewal needs nothing else of the old encryption certificate).
     */
    public X500Principal encryptionSubject() {
        X509Certificate parsed = encryptionCertificate;
        if (parsed != null) {
            return parsed.getSubjectX500Principal();
        }
        X500Principal subject = encryptionSubject;
        if (subject == null) {
            subject = DerCertificates.subjectOf(encryption.der().bytes());
            encryptionSubject = subject;
        }
        return subject;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurrentPair other
                && Objects.equals(pair, other.pair)
                && Objects.equals(signing, other.signing)
                && Objects.equals(encryption, other.encryption)
                && Objects.equals(renewal, other.renewal)
                && Objects.equals(lastClosed, other.lastClosed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pair, signing, encryption, renewal, lastClosed);
    }

    @Override
    public String toString() {
        return "CurrentPair[pair=" + pair + ", signing=" + signing + ", encryption=" + encryption + ", renewal="
                + renewal + ", lastClosed=" + lastClosed + "]";
    }
}
