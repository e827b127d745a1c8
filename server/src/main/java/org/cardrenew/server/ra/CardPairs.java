package org.cardrenew.server.ra;

import java.util.List;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/** Loads a card pair with its certificates and renewal. */
@Component
public class CardPairs {

    private final CardPairRepository pairs;
    private final CertificateRepository certificates;
    private final RenewalRepository renewals;

    public CardPairs(CardPairRepository pairs, CertificateRepository certificates, RenewalRepository renewals) {
        this.pairs = pairs;
        this.certificates = certificates;
        this.renewals = renewals;
    }

    public CurrentPair load(PairId id) {
        CardPair pair = pairs.find(id).orElseThrow(() -> new IllegalStateException("no card pair " + id));
        List<StoredCertificate> both = certificates.findByPair(id);
        return new CurrentPair(pair, certificate(both, id, CertificateKind.SIGNING),
                certificate(both, id, CertificateKind.ENCRYPTION), renewals.findByOldPair(id));
    }

    /** The pair's certificate of that kind, from both read in one query. */
    static StoredCertificate certificate(List<StoredCertificate> both, PairId id, CertificateKind kind) {
        return both.stream()
                .filter(c -> c.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new RaException(ErrorCode.INTERNAL_ERROR, "card pair " + id + " has no " + kind));
    }
}
