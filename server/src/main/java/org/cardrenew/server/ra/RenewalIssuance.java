package org.cardrenew.server.ra;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.cardrenew.ca.PublicKeys;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.IssuanceStart;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.cardrenew.server.store.WritesAtCommit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * REQUESTED → ISSUED: issues both certificates of a claimed renewal and stores them with the new state in one
 * transaction. The state changes first and the renewal row stays locked until the certificates are stored, so two
 * identical requests (or a request and a resume) never issue twice: the second waits, then finds ISSUED and returns
 * the stored certificates.
 */
@Component
public class RenewalIssuance {

    private final RenewalRepository renewals;
    private final IssuanceStart issuanceStart;
    private final CardPairs pairs;
    private final PairIssuer issuer;
    private final RenewalProperties properties;
    private final IssuanceIntent intent;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalIssuance(
            RenewalRepository renewals,
            IssuanceStart issuanceStart,
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
        this.issuanceStart = issuanceStart;
        this.pairs = pairs;
        this.issuer = issuer;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * REQUESTED → ISSUED: issues {@code requested} (as the caller saw it: REQUESTED, with its keys) if it still is; returns
     * it as stored afterwards. The intent is audited first, committed before the CA signs; the caller audits the outcome.
     * {@code old} is the renewal's old pair as the caller just loaded it: its holder, subjects and validity, all that
     * issuance takes from it, never change, so it is not read again.
     *
     * @throws RaException RENEWAL_IN_PROGRESS when the renewal now holds other keys (it was taken over)
     */
    public Issuance issue(Renewal requested, CurrentPair old, ClientAddress from) {
        return issue(requested, old, from, null);
    }

    /**
     * {@link #issue} that also records the outcome when this call issues: {@code outcome} names the event, appended
     * in the transaction that stores the certificates (one commit for both, issue 14), so the record is durable
     * exactly when they are. {@link Issuance#recorded()} says whether it was; when the renewal was found issued
     * already the caller records the outcome itself.
     */
    public Issuance issue(
            Renewal requested, CurrentPair old, ClientAddress from, Function<Issuance, AuditEvent> outcome) {
        // Callers come here for a renewal they saw REQUESTED; if a concurrent request issues it first, this intent
        // stays without a signature of its own, which the outcome records of the renewal show.
        intent.record(IssuanceIntent.forRenewal(
                requested.id().toString(), old, requested.signingKeyHash(), requested.encryptionKeyHash(), from));
        return signAndStore(requested, old, outcome);
    }

    /**
     * Stores a new renewal REQUESTED if neither of its keys was used before and, in the same transaction, its issuance
     * intent (one commit for both, issue 14; on PostgreSQL the claim, the record and the COMMIT go as one statement,
     * and the claim's own statement checks that the keys are new): once this returns true, both are durable, and
     * {@link #issueClaimed} has the CA sign. False when a key was certified before or is claimed by another pair's
     * renewal: nothing is stored ({@link NewKeys#usedBefore} names the key).
     *
     * @throws org.springframework.dao.DuplicateKeyException when the pair already has a renewal (nothing is stored)
     */
    public boolean claim(Renewal claim, CurrentPair old, ClientAddress from) {
        return WritesAtCommit.GuardedWrite.committed(transaction, () -> {
            // The UNIQUE old_pair_id makes this the one renewal of the pair, on every node.
            renewals.claim(claim);
            intent.recordInCurrentTransaction(IssuanceIntent.forRenewal(
                    claim.id().toString(), old, claim.signingKeyHash(), claim.encryptionKeyHash(), from));
        });
    }

    /** {@link #issue} for a renewal this request just {@link #claim claimed}: its intent is committed already. */
    public Issuance issueClaimed(Renewal claim, CurrentPair old, Function<Issuance, AuditEvent> outcome) {
        return signAndStore(claim, old, outcome);
    }

    private Issuance signAndStore(Renewal requested, CurrentPair old, Function<Issuance, AuditEvent> outcome) {
        CurrentPair pair = old.pair().id().equals(requested.oldPair()) ? old : pairs.load(requested.oldPair());
        Issuance stored;
        try {
            stored = transaction.execute(status -> signAndStoreIn(status, requested, pair, outcome));
        } catch (DuplicateKeyException e) {
            // The certificates went with the COMMIT (PostgreSQL): their UNIQUE key hash refused them there.
            throw PairIssuer.certifiedConcurrently(e);
        }
        return stored != null ? stored : movedOn(requested);
    }

    private Issuance signAndStoreIn(
            TransactionStatus status, Renewal requested, CurrentPair pair, Function<Issuance, AuditEvent> outcome) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The new pair first, so that one statement moves the renewal to ISSUED naming it and locks the row until
        // the certificates are stored: a concurrent request for this renewal waits, then finds nothing to update
        // (issue 14: no locking read before the update). Both in one round trip on PostgreSQL (IssuanceStart), which
        // also takes the certificates' ids, so that they go with the COMMIT.
        Optional<IssuanceStart.Started> started =
                issuanceStart.begin(requested, pair.pair().holderId(), at);
        if (started.isEmpty()) {
            status.setRollbackOnly();
            return null;
        }
        PairId newPair = started.get().pair();
        Duration length = properties
                .configuredValidity()
                .orElse(Duration.between(
                        pair.signing().notBefore(), pair.signing().notAfter()));
        IssuedPair issued = issuer.issueInto(
                newPair,
                started.get().certificateIds(),
                // RFC 7030 §4.2.2: re-enrollment keeps the subject; copy the old certificates' bytes.
                pair.signingCertificate().getSubjectX500Principal(),
                publicKey(requested.signingKey().bytes()),
                pair.encryptionSubject(),
                publicKey(requested.encryptionKey().bytes()),
                Validity.startingAt(clock.instant(), length));
        Issuance done = new Issuance(requested.issued(newPair, at), issued.stored(), false);
        if (outcome == null) {
            return done;
        }
        // Committed with the certificates, or not at all; the chainer links it into the chain afterwards.
        audit.recordInCurrentTransaction(outcome.apply(done));
        return new Issuance(done.renewal(), done.certificates(), true);
    }

    /** The renewal was no longer REQUESTED for these keys: issued by a concurrent request, closed, or taken over. */
    private Issuance movedOn(Renewal requested) {
        Renewal now = renewals.find(requested.id())
                .orElseThrow(() -> new IllegalStateException("no renewal " + requested.id()));
        if (!now.hasKeys(requested.signingKeyHash(), requested.encryptionKeyHash())) {
            throw new RaException(ErrorCode.RENEWAL_IN_PROGRESS, "renewal " + now.id() + " now holds other keys");
        }
        if (now.state() == RenewalState.REQUESTED) {
            throw new IllegalStateException("renewal " + now.id() + " is REQUESTED for its keys but was not issued");
        }
        return Issuance.found(now);
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
            return PublicKeys.of(SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo));
        } catch (IOException e) {
            throw new IllegalStateException("a stored key no longer parses", e);
        }
    }
}
