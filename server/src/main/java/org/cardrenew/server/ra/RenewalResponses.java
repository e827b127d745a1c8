package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/**
 * Builds the wire answer for a renewal from what is stored: the same certificates every time. The answer leaves the
 * CA chain out (≈ 2.5 KB that no client of ours reads, issue 14); the API adds {@link #chain()} for a client that
 * asks for it.
 */
@Component
public class RenewalResponses {

    private final CertificateRepository certificates;
    private final CertificateAuthority ca;

    public RenewalResponses(CertificateRepository certificates, CertificateAuthority ca) {
        this.certificates = certificates;
        this.ca = ca;
    }

    public RenewalResponse of(Renewal renewal, CurrentPair old) {
        return of(renewal, old.signing().notAfter());
    }

    /** The answer, given when the old signing certificate expires (all the answer needs of the old pair). */
    public RenewalResponse of(Renewal renewal, Instant oldNotAfter) {
        if (renewal.newPair() == null) {
            return new RenewalResponse(
                    renewal.id().toString(), renewal.state(), null, null, null, null, null, oldNotAfter);
        }
        return of(renewal, oldNotAfter, certificates.findByPair(renewal.newPair()));
    }

    /** The answer, given the new pair's certificates as just read by the caller (empty before issuance). */
    public RenewalResponse of(Renewal renewal, Instant oldNotAfter, List<StoredCertificate> both) {
        if (renewal.newPair() == null) {
            return new RenewalResponse(
                    renewal.id().toString(), renewal.state(), null, null, null, null, null, oldNotAfter);
        }
        StoredCertificate signing = CardPairs.certificate(both, renewal.newPair(), CertificateKind.SIGNING);
        StoredCertificate encryption = CardPairs.certificate(both, renewal.newPair(), CertificateKind.ENCRYPTION);
        return new RenewalResponse(
                renewal.id().toString(),
                renewal.state(),
                Base64Field.encode(signing.der().bytes()),
                Base64Field.encode(encryption.der().bytes()),
                null,
                signing.notBefore(),
                signing.notAfter(),
                oldNotAfter);
    }

    /** Issuing CA first, root last. */
    public List<String> chain() {
        return ca.chain().stream()
                .map(DerCertificates::der)
                .map(Base64Field::encode)
                .toList();
    }

    public List<X509Certificate> chainCertificates() {
        return ca.chain();
    }
}
