package org.cardrenew.server.ra;

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
        return new CurrentPair(pair, certificate(id, CertificateKind.SIGNING), certificate(id, CertificateKind.ENCRYPTION),
                renewals.findByOldPair(id));
    }

    private StoredCertificate certificate(PairId id, CertificateKind kind) {
        return certificates.findInPair(id, kind)
                .orElseThrow(() -> new RaException(ErrorCode.INTERNAL_ERROR, "card pair " + id + " has no " + kind));
    }
}
