package org.cardrenew.server.ra;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.PairSnapshots;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/** Loads a card pair with its certificates and renewal, in one query. */
@Component
public class CardPairs {

    private final PairSnapshots snapshots;

    public CardPairs(PairSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    public CurrentPair load(PairId id) {
        return current(snapshots.ofPair(id).orElseThrow(() -> new IllegalStateException("no card pair " + id)));
    }

    /** A card pair, read for the certificate a renewal token is bound to. */
    public record Bound(CurrentPair pair, StoredCertificate certificate) {}

    /** The pair of the certificate a valid renewal token (its SHA-256) is bound to, with that certificate. */
    Optional<Bound> ofRenewalToken(String tokenSha256, Instant now) {
        return snapshots.ofRenewalToken(tokenSha256, now).map(b -> {
            CurrentPair pair = current(b.snapshot());
            StoredCertificate certificate = b.snapshot().certificates().stream()
                    .filter(c -> c.id().equals(b.bound()))
                    .findFirst()
                    .orElseThrow();
            return new Bound(pair, certificate);
        });
    }

    /** The pair holding the certificate with this serial, if this CA issued one. */
    public Optional<CurrentPair> ofCertificate(String hexSerial) {
        return snapshots.ofCertificate(hexSerial).map(CardPairs::current);
    }

    private static CurrentPair current(PairSnapshots.PairSnapshot snapshot) {
        PairId id = snapshot.pair().id();
        return new CurrentPair(
                snapshot.pair(),
                certificate(snapshot.certificates(), id, CertificateKind.SIGNING),
                certificate(snapshot.certificates(), id, CertificateKind.ENCRYPTION),
                snapshot.renewal(),
                snapshot.lastClosed());
    }

    /** The pair's certificate of that kind, from both read in one query. */
    static StoredCertificate certificate(List<StoredCertificate> both, PairId id, CertificateKind kind) {
        return both.stream()
                .filter(c -> c.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new RaException(ErrorCode.INTERNAL_ERROR, "card pair " + id + " has no " + kind));
    }
}
