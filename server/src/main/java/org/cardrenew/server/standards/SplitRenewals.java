package org.cardrenew.server.standards;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.cardrenew.ca.PublicKeys;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.RenewalService;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.SplitRequestRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/**
 * A card pair renewed through a protocol that carries one certificate request per message (EST simplereenroll,
 * CMP kur from clients such as openssl that send one CertReqMsg): each half is kept, already checked by the
 * protocol (authentication, proof of possession), until the other half arrives; then the RA renews the pair as one,
 * exactly as for two requests in one message. Asking again after that returns the same renewal (the RA is idempotent
 * by public keys).
 */
@Component
public class SplitRenewals {

    private final SplitRequestRepository halves;
    private final RenewalService renewals;
    private final Clock clock;

    public SplitRenewals(SplitRequestRepository halves, RenewalService renewals, Clock clock) {
        this.halves = halves;
        this.renewals = renewals;
        this.clock = clock;
    }

    /** Keeps this half; renews when the other half is there too (else empty: the client comes back later). */
    public Optional<RenewalResponse> offer(
            StoredCertificate current,
            CertificateKind kind,
            CertificationRequest request,
            String transactionId,
            ClientAddress from) {
        halves.put(new SplitRequestRepository.Half(
                current.serial(),
                kind,
                Der.of(request.publicKey().getEncoded()),
                request.subjectDer(),
                transactionId,
                clock.instant(),
                null));
        return renewIfComplete(current, from);
    }

    /** The RA's renewal of the pair once both halves are kept; empty while one is missing. */
    public Optional<RenewalResponse> renewIfComplete(StoredCertificate current, ClientAddress from) {
        Optional<SplitRequestRepository.Half> signing = halves.find(current.serial(), CertificateKind.SIGNING);
        Optional<SplitRequestRepository.Half> encryption = halves.find(current.serial(), CertificateKind.ENCRYPTION);
        if (signing.isEmpty() || encryption.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                renewals.renewAuthenticated(current, request(signing.get()), request(encryption.get()), from));
    }

    /** Which half a CMP transaction carried. */
    public Optional<CertificateKind> kindOf(StoredCertificate current, String transactionId) {
        return halves.all(current.serial()).stream()
                .filter(h -> transactionId != null && transactionId.equals(h.transactionId()))
                .map(SplitRequestRepository.Half::kind)
                .findFirst();
    }

    /** Records the client's confirmation of one certificate; true once both halves are confirmed. */
    public boolean confirm(StoredCertificate current, CertificateKind kind) {
        halves.markConfirmed(current.serial(), kind, clock.instant());
        List<SplitRequestRepository.Half> all = halves.all(current.serial());
        return all.size() == 2 && all.stream().allMatch(h -> h.confirmedAt() != null);
    }

    private static CertificationRequest request(SplitRequestRepository.Half half) {
        try {
            PublicKey key = PublicKeys.of(
                    SubjectPublicKeyInfo.getInstance(half.publicKey().bytes()));
            return new CertificationRequest(half.subject(), key, KeyHash.of(key));
        } catch (IOException e) {
            throw new IllegalStateException("a kept public key no longer parses", e);
        }
    }
}
