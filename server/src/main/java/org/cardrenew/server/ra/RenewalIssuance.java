package org.cardrenew.server.ra;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * REQUESTED → ISSUED: issues both certificates of a claimed renewal and stores them with the new state in one
 * transaction. The renewal row is locked meanwhile, so two identical requests (or a request and a resume) never
 * issue twice: the second waits, then finds ISSUED and returns the stored certificates.
 */
@Component
public class RenewalIssuance {

    private final RenewalRepository renewals;
    private final CardPairs pairs;
    private final PairIssuer issuer;
    private final RenewalProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public RenewalIssuance(RenewalRepository renewals, CardPairs pairs, PairIssuer issuer, RenewalProperties properties,
            PlatformTransactionManager transactions, Clock clock) {
        this.renewals = renewals;
        this.pairs = pairs;
        this.issuer = issuer;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Issues the renewal if it is still REQUESTED for the expected keys; returns it as stored afterwards.
     *
     * @throws RaException RENEWAL_IN_PROGRESS when the renewal now holds other keys (it was taken over)
     */
    public Renewal complete(RenewalId id, KeyHash signingKey, KeyHash encryptionKey) {
        return complete(id, signingKey, encryptionKey, null);
    }

    /**
     * The same, for a caller that has just loaded the old pair: its holder, subjects and validity, all that issuance
     * takes from it, never change, so it is not read again.
     */
    public Renewal complete(RenewalId id, KeyHash signingKey, KeyHash encryptionKey, CurrentPair loaded) {
        return transaction.execute(status -> {
            Renewal renewal = renewals.lock(id).orElseThrow(() -> new IllegalStateException("no renewal " + id));
            if (!renewal.hasKeys(signingKey, encryptionKey)) {
                throw new RaException(ErrorCode.RENEWAL_IN_PROGRESS, "renewal " + id + " now holds other keys");
            }
            if (renewal.state() != RenewalState.REQUESTED) {
                return renewal;
            }
            CurrentPair old = loaded != null && loaded.pair().id().equals(renewal.oldPair())
                    ? loaded
                    : pairs.load(renewal.oldPair());
            Duration length = properties.configuredValidity()
                    .orElse(Duration.between(old.signing().notBefore(), old.signing().notAfter()));
            IssuedPair issued = issuer.issue(old.pair().holderId(),
                    // RFC 7030 §4.2.2: re-enrollment keeps the subject; copy the old certificates' bytes.
                    old.signingCertificate().getSubjectX500Principal(), publicKey(renewal.signingKey()),
                    old.encryptionCertificate().getSubjectX500Principal(), publicKey(renewal.encryptionKey()),
                    Validity.startingAt(clock.instant(), length));
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            // The row is locked and was REQUESTED: the update cannot miss, so the stored row is known without reading it.
            if (!renewals.markIssued(id, issued.id(), at)) {
                throw new IllegalStateException("renewal " + id + " changed under its row lock");
            }
            return renewal.issued(issued.id(), at);
        });
    }

    private static PublicKey publicKey(byte[] subjectPublicKeyInfo) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo));
        } catch (IOException e) {
            throw new IllegalStateException("a stored key no longer parses", e);
        }
    }
}
