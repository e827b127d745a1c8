package org.cardrenew.server.ra;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
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
    private final IssuanceIntent intent;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalIssuance(
            RenewalRepository renewals,
            CardPairs pairs,
            PairIssuer issuer,
            RenewalProperties properties,
            IssuanceIntent intent,
            PlatformTransactionManager transactions,
            AuditLog audit,
            Clock clock) {
        this.intent = intent;
        this.audit = audit;
        this.renewals = renewals;
        this.pairs = pairs;
        this.issuer = issuer;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * REQUESTED → ISSUED: issues the renewal if it is still REQUESTED for the expected keys; returns it as stored
     * afterwards. The intent is audited first, committed before the CA signs; the caller audits the outcome. {@code old} is the renewal's old
     * pair as the caller just loaded it: its holder, subjects and validity, all that issuance takes from it, never
     * change, so it is not read again.
     *
     * @throws RaException RENEWAL_IN_PROGRESS when the renewal now holds other keys (it was taken over)
     */
    public Issuance issue(
            RenewalId id, KeyHash signingKey, KeyHash encryptionKey, CurrentPair old, ClientAddress from) {
        return issue(id, signingKey, encryptionKey, old, from, null);
    }

    /**
     * {@link #issue} that also records the outcome when this call issues: {@code outcome} names the event, appended
     * in the transaction that stores the certificates (one commit for both, issue 14), so the record is durable
     * exactly when they are. {@link Issuance#recorded()} says whether it was; when the renewal was found issued
     * already the caller records the outcome itself.
     */
    public Issuance issue(
            RenewalId id,
            KeyHash signingKey,
            KeyHash encryptionKey,
            CurrentPair old,
            ClientAddress from,
            Function<Issuance, AuditEvent> outcome) {
        // Callers come here for a renewal they saw REQUESTED; if a concurrent request issues it first, this intent
        // stays without a signature of its own, which the outcome records of the renewal show.
        intent.record(IssuanceIntent.forRenewal(id.toString(), old, signingKey, encryptionKey, from));
        return signAndStore(id, signingKey, encryptionKey, old, outcome);
    }

    /**
     * Stores a new renewal REQUESTED if neither of its keys was used before and, last in the same transaction, its
     * issuance intent (one commit for both, and the keys' novelty checked by the claim's own statement, issue 14):
     * once this returns true, both are durable, and {@link #issueClaimed} has the CA sign. False when a key was
     * certified before or is claimed by another pair's renewal: nothing is stored ({@link NewKeys#usedBefore} names
     * the key).
     *
     * @throws org.springframework.dao.DuplicateKeyException when the pair already has a renewal (nothing is stored)
     */
    public boolean claim(Renewal claim, CurrentPair old, ClientAddress from) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            // The UNIQUE old_pair_id makes this the one renewal of the pair, on every node.
            if (!renewals.insertRequestedIfKeysNew(claim)) {
                return false;
            }
            intent.recordInCurrentTransaction(IssuanceIntent.forRenewal(
                    claim.id().toString(), old, claim.signingKeyHash(), claim.encryptionKeyHash(), from));
            return true;
        }));
    }

    /** {@link #issue} for a renewal this request just {@link #claim claimed}: its intent is committed already. */
    public Issuance issueClaimed(Renewal claim, CurrentPair old, Function<Issuance, AuditEvent> outcome) {
        return signAndStore(claim.id(), claim.signingKeyHash(), claim.encryptionKeyHash(), old, outcome);
    }

    private Issuance signAndStore(
            RenewalId id,
            KeyHash signingKey,
            KeyHash encryptionKey,
            CurrentPair old,
            Function<Issuance, AuditEvent> outcome) {
        CurrentPair loaded = old;
        return transaction.execute(status -> {
            Renewal renewal = renewals.lock(id).orElseThrow(() -> new IllegalStateException("no renewal " + id));
            if (!renewal.hasKeys(signingKey, encryptionKey)) {
                throw new RaException(ErrorCode.RENEWAL_IN_PROGRESS, "renewal " + id + " now holds other keys");
            }
            if (renewal.state() != RenewalState.REQUESTED) {
                return Issuance.found(renewal);
            }
            CurrentPair pair = loaded.pair().id().equals(renewal.oldPair()) ? loaded : pairs.load(renewal.oldPair());
            Duration length = properties
                    .configuredValidity()
                    .orElse(Duration.between(
                            pair.signing().notBefore(), pair.signing().notAfter()));
            IssuedPair issued = issuer.issue(
                    pair.pair().holderId(),
                    // RFC 7030 §4.2.2: re-enrollment keeps the subject; copy the old certificates' bytes.
                    pair.signingCertificate().getSubjectX500Principal(),
                    publicKey(renewal.signingKey().bytes()),
                    pair.encryptionCertificate().getSubjectX500Principal(),
                    publicKey(renewal.encryptionKey().bytes()),
                    Validity.startingAt(clock.instant(), length));
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            // The row is locked and was REQUESTED: the update cannot miss, so the stored row is known without reading
            // it.
            if (!renewals.markIssued(id, issued.id(), at)) {
                throw new IllegalStateException("renewal " + id + " changed under its row lock");
            }
            Issuance done = new Issuance(renewal.issued(issued.id(), at), issued.stored(), false);
            if (outcome == null) {
                return done;
            }
            // Committed with the certificates, or not at all; the chainer links it into the chain afterwards.
            audit.recordInCurrentTransaction(outcome.apply(done));
            return new Issuance(done.renewal(), done.certificates(), true);
        });
    }

    /**
     * The renewal as stored after {@link #issue}, with the certificates this call issued and stored; empty when it
     * found the renewal issued already (read them from the store then); {@code recorded} when the outcome's audit
     * record was committed with them.
     */
    public record Issuance(Renewal renewal, List<StoredCertificate> certificates, boolean recorded) {

        /** A renewal this call did not issue: its certificates, if any, are to be read. */
        static Issuance found(Renewal renewal) {
            return new Issuance(renewal, List.of(), false);
        }
    }

    /** A renewal's stored new key (DER SubjectPublicKeyInfo) as a JCA key. */
    static PublicKey publicKey(byte[] subjectPublicKeyInfo) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo));
        } catch (IOException e) {
            throw new IllegalStateException("a stored key no longer parses", e);
        }
    }
}
