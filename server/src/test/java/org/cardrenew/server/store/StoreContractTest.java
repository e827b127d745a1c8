package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.testsupport.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The repositories and the schema's constraints; run on H2 and on PostgreSQL by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00.123456Z");

    private HolderRepository holders;
    private CardPairRepository pairs;
    private CertificateRepository certificates;
    private RenewalRepository renewals;
    private ChallengeRepository challenges;
    private AuditRepository auditRepository;
    private AuditLog audit;
    private AuditChainer chainer;
    private PairSnapshots snapshots;
    private CmpReplayRepository seen;
    private IssuanceStart issuanceStart;
    private TransactionTemplate inTransaction;
    private TransactionTemplate pipelined;
    private boolean onPostgres;
    private JdbcClient jdbc;

    protected abstract DataSource dataSource();

    @BeforeAll
    void migrate() {
        DataSource dataSource = migrated(dataSource());
        jdbc = JdbcClient.create(dataSource);
        holders = new HolderRepository(jdbc);
        pairs = new CardPairRepository(jdbc);
        certificates = new CertificateRepository(jdbc);
        renewals = new RenewalRepository(jdbc);
        challenges = new ChallengeRepository(jdbc);
        auditRepository = new AuditRepository(jdbc);
        snapshots = new PairSnapshots(jdbc);
        seen = new CmpReplayRepository(jdbc);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        issuanceStart = new IssuanceStart(new JdbcTemplate(dataSource), pairs, renewals);
        inTransaction = new TransactionTemplate(transactions);
        pipelined = new TransactionTemplate(new PipelinedTransactionManager(dataSource));
        onPostgres = Boolean.TRUE.equals(
                new JdbcTemplate(dataSource).execute((ConnectionCallback<Boolean>) Databases::onPostgres));
        MutableClock clock = new MutableClock();
        chainer = new AuditChainer(auditRepository, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(auditRepository, chainer, transactions, clock, new SimpleMeterRegistry());
    }

    @Test
    void aSnapshotReadsThePairItsCertificatesAndItsRenewalInOneQuery() {
        PairId pair = newPair();
        NewCertificate signing = certificate(CertificateKind.SIGNING);
        NewCertificate encryption = certificate(CertificateKind.ENCRYPTION);
        certificates.insert(pair, encryption);
        certificates.insert(pair, signing);

        PairSnapshots.PairSnapshot before = snapshots.ofPair(pair).orElseThrow();
        assertThat(before.pair()).isEqualTo(pairs.find(pair).orElseThrow());
        assertThat(before.certificates())
                .extracting(StoredCertificate::kind)
                .containsExactly(CertificateKind.SIGNING, CertificateKind.ENCRYPTION);
        assertThat(before.certificates().get(0).der()).isEqualTo(signing.der());
        assertThat(before.renewal()).isEmpty();

        Renewal claimed = renewal(pair);
        renewals.claim(claimed);
        PairSnapshots.PairSnapshot after =
                snapshots.ofCertificate(encryption.serial()).orElseThrow();
        assertThat(after.pair().id()).isEqualTo(pair);
        assertThat(after.certificates()).hasSize(2);
        assertThat(after.renewal()).map(Renewal::id).contains(claimed.id());
        assertThat(after.renewal().orElseThrow().signingKey()).isEqualTo(claimed.signingKey());
        assertThat(snapshots.ofCertificate("00ff00ff")).isEmpty();
        assertThat(snapshots.ofPair(new PairId(Long.MAX_VALUE))).isEmpty();
    }

    @Test
    void anIssuedRenewalIsStoredExactlyAsIssuedDescribesIt() {
        PairId old = newPair();
        PairId next = newPair();
        Renewal claimed = renewal(old);
        renewals.claim(claimed);
        Instant at = Instant.parse("2026-11-26T02:40:00.123456Z"); // whole microseconds, as RenewalIssuance passes it

        assertThat(renewals.markIssued(claimed, next, at)).isTrue();
        Renewal stored = renewals.find(claimed.id()).orElseThrow();
        Renewal described = claimed.issued(next, at);
        assertThat(described.state()).isEqualTo(stored.state()).isEqualTo(RenewalState.ISSUED);
        assertThat(described.newPair()).isEqualTo(stored.newPair()).isEqualTo(next);
        assertThat(described.issuedAt()).isEqualTo(stored.issuedAt());
        assertThat(described.requestedAt()).isEqualTo(stored.requestedAt());
        assertThat(described.signingKeyHash()).isEqualTo(stored.signingKeyHash());
        assertThat(described.completedAt()).isEqualTo(stored.completedAt()).isNull();
    }

    @Test
    void aPairKeepsBothCertificatesAndTheirTimes() {
        PairId pair = newPair();
        NewCertificate signing = certificate(CertificateKind.SIGNING);
        certificates.insert(pair, signing);
        certificates.insert(pair, certificate(CertificateKind.ENCRYPTION));

        StoredCertificate stored = certificates.findBySerial(signing.serial()).orElseThrow();
        assertThat(stored.pairId()).isEqualTo(pair);
        assertThat(stored.notAfter()).isEqualTo(signing.notAfter());
        assertThat(stored.der()).isEqualTo(signing.der());
        assertThat(certificates.findByPair(pair)).hasSize(2);
        assertThat(certificates.keyCertified(signing.keyHash())).isTrue();
    }

    @Test
    void bothCertificatesOfAPairAreStoredByOneInsertWithTheirIds() {
        PairId pair = newPair();
        NewCertificate signing = certificate(CertificateKind.SIGNING);
        NewCertificate encryption = certificate(CertificateKind.ENCRYPTION);

        List<CertificateId> ids = certificates.insertPair(pair, signing, encryption);

        assertThat(ids)
                .containsExactly(
                        certificates
                                .findInPair(pair, CertificateKind.SIGNING)
                                .orElseThrow()
                                .id(),
                        certificates
                                .findInPair(pair, CertificateKind.ENCRYPTION)
                                .orElseThrow()
                                .id());
        assertThat(certificates.find(ids.get(0)).orElseThrow().serial()).isEqualTo(signing.serial());
        assertThat(certificates.find(ids.get(1)).orElseThrow().der()).isEqualTo(encryption.der());
    }

    @Test
    void aPairWithAKeyCertifiedBeforeStoresNeitherCertificate() {
        NewCertificate first = certificate(CertificateKind.SIGNING);
        certificates.insert(newPair(), first);
        PairId pair = newPair();
        NewCertificate sameKey = withKeyOf(first, CertificateKind.ENCRYPTION);

        assertThatThrownBy(() -> certificates.insertPair(pair, certificate(CertificateKind.SIGNING), sameKey))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(certificates.findByPair(pair)).isEmpty();
    }

    @Test
    void aClaimWithAKeyUsedBeforeStoresNothing() {
        NewCertificate certified = certificate(CertificateKind.SIGNING);
        certificates.insert(newPair(), certified);
        Renewal otherPairs = renewal(newPair());
        renewals.claim(otherPairs);
        PairId pair = newPair();

        Renewal withCertifiedKey = renewal(pair, renewal(pair).signingKeyHash(), certified.keyHash());
        Renewal withClaimedKey =
                renewal(pair, otherPairs.encryptionKeyHash(), renewal(pair).encryptionKeyHash());
        assertThatThrownBy(() -> renewals.claim(withCertifiedKey))
                .isInstanceOf(DataIntegrityViolationException.class)
                .matches(WritesAtCommit.GuardedWrite::refused, "the claim's guard");
        assertThatThrownBy(() -> renewals.claim(withClaimedKey))
                .isInstanceOf(DataIntegrityViolationException.class)
                .matches(WritesAtCommit.GuardedWrite::refused, "the claim's guard");
        assertThat(renewals.findByOldPair(pair)).isEmpty();
        assertThat(renewals.eitherKeyUsedBefore(
                        withCertifiedKey.signingKeyHash(), withCertifiedKey.encryptionKeyHash(), pair))
                .isTrue();
        assertThat(renewals.eitherKeyUsedBefore(
                        withClaimedKey.signingKeyHash(), withClaimedKey.encryptionKeyHash(), pair))
                .isTrue();
        // The pair's own renewal claiming the keys is not "another pair's": the claim then hits UNIQUE old_pair_id.
        Renewal fresh = renewal(pair);
        assertThat(renewals.eitherKeyUsedBefore(fresh.signingKeyHash(), fresh.encryptionKeyHash(), pair))
                .isFalse();
        renewals.claim(fresh);
        assertThat(renewals.eitherKeyUsedBefore(fresh.signingKeyHash(), fresh.encryptionKeyHash(), pair))
                .isFalse();
        assertThatThrownBy(() -> renewals.claim(fresh))
                .isInstanceOf(DuplicateKeyException.class)
                .matches(e -> !WritesAtCommit.GuardedWrite.refused(e), "not the guard");
        assertThat(renewals.findByOldPair(pair).orElseThrow().requestedAt()).isEqualTo(NOW);
    }

    /** Another certificate (serial, name, DER) for the key of this one. */
    private NewCertificate withKeyOf(NewCertificate certified, CertificateKind kind) {
        return new NewCertificate(
                kind, serial(), "CN=other", NOW, NOW.plusSeconds(60), certified.keyHash(), Der.of(new byte[] {1}));
    }

    @Test
    void theDatabaseRefusesToCertifyAKeyTwice() {
        NewCertificate first = certificate(CertificateKind.SIGNING);
        certificates.insert(newPair(), first);
        NewCertificate sameKey = withKeyOf(first, CertificateKind.SIGNING);

        assertThatThrownBy(() -> certificates.insert(newPair(), sameKey)).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void aPairHasAtMostOneRenewal() {
        PairId pair = newPair();
        renewals.claim(renewal(pair));

        assertThatThrownBy(() -> renewals.claim(renewal(pair))).isInstanceOf(DuplicateKeyException.class);
        assertThat(renewals.findByOldPair(pair))
                .get()
                .extracting(Renewal::state)
                .isEqualTo(RenewalState.REQUESTED);
    }

    @Test
    void aRenewalTakenOverByOtherKeysIsNotIssuedForTheKeysItHeldBefore() {
        PairId old = newPair();
        Renewal abandoned = renewal(old);
        renewals.claim(abandoned);
        Renewal takenOver = abandoned.takenOver(
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                Der.of(new byte[] {3}),
                Der.of(new byte[] {4}),
                NOW.plusSeconds(60));
        assertThat(renewals.takeOver(
                        abandoned.id(),
                        takenOver.signingKeyHash(),
                        takenOver.encryptionKeyHash(),
                        takenOver.signingKey(),
                        takenOver.encryptionKey(),
                        takenOver.requestedAt(),
                        NOW.plusSeconds(1)))
                .isTrue();
        assertThat(renewals.find(abandoned.id()).orElseThrow()).isEqualTo(takenOver);

        assertThat(renewals.markIssued(abandoned, newPair(), NOW))
                .as("the keys it held before")
                .isFalse();
        assertThat(renewals.find(abandoned.id()).orElseThrow().state()).isEqualTo(RenewalState.REQUESTED);
        assertThat(renewals.markIssued(takenOver, newPair(), NOW))
                .as("the keys it holds")
                .isTrue();
    }

    @Test
    void anIssuanceBeginsWithItsOwnNewPairAndTheRenewalIssuedIntoItOrNotAtAll() {
        PairId old = newPair();
        Renewal r = renewal(old);
        renewals.claim(r);
        HolderId holder = pairs.find(old).orElseThrow().holderId();

        NewCertificate signing = certificate(CertificateKind.SIGNING);
        NewCertificate encryption = certificate(CertificateKind.ENCRYPTION);
        IssuanceStart.Started begun = pipelined.execute(status -> {
            // Another pair and certificate written just before in the same session: the ids read must be the new
            // pair's and fresh ones.
            certificates.insert(newPair(), certificate(CertificateKind.SIGNING));
            IssuanceStart.Started issuance =
                    issuanceStart.begin(r, holder, NOW.plusSeconds(5)).orElseThrow();
            if (!issuance.certificateIds().isEmpty()) {
                certificates.insertPairAtCommit(issuance.pair(), issuance.certificateIds(), signing, encryption);
            }
            return issuance;
        });
        PairId started = begun.pair();
        if (onPostgres) {
            assertThat(certificates.findByPair(started))
                    .as("stored with the commit under the ids taken ahead")
                    .extracting(StoredCertificate::id, StoredCertificate::kind)
                    .containsExactly(
                            tuple(begun.certificateIds().get(0), CertificateKind.SIGNING),
                            tuple(begun.certificateIds().get(1), CertificateKind.ENCRYPTION));
            assertThat(certificates
                            .insert(newPair(), certificate(CertificateKind.SIGNING))
                            .value())
                    .as("the table's own ids go on after them")
                    .isGreaterThan(begun.certificateIds().get(1).value());
        } else {
            assertThat(begun.certificateIds())
                    .as("taken as the certificates are stored")
                    .isEmpty();
        }

        assertThat(pairs.find(started).orElseThrow())
                .extracting(CardPair::holderId, CardPair::status, CardPair::createdAt)
                .containsExactly(holder, PairStatus.ACTIVE, NOW.plusSeconds(5));
        assertThat(renewals.find(r.id()).orElseThrow())
                .extracting(Renewal::state, Renewal::newPair, Renewal::issuedAt)
                .containsExactly(RenewalState.ISSUED, started, NOW.plusSeconds(5));

        long pairsOfHolder = pairsOf(holder);
        Optional<IssuanceStart.Started> again = inTransaction.execute(status -> {
            Optional<IssuanceStart.Started> second = issuanceStart.begin(r, holder, NOW.plusSeconds(9));
            status.setRollbackOnly();
            return second;
        });
        assertThat(again).as("issued once").isEmpty();
        assertThat(pairsOf(holder)).as("the second pair rolled back").isEqualTo(pairsOfHolder);
        assertThat(renewals.find(r.id()).orElseThrow().newPair()).isEqualTo(started);

        assertThatThrownBy(() -> issuanceStart.begin(renewal(newPair()), holder, NOW))
                .as("outside a transaction the pair would stay without its renewal")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClaimAndACompletionGoWithTheCommitAndTheirGuardsTakeTheWholeTransactionBack() {
        NewCertificate certified = certificate(CertificateKind.SIGNING);
        certificates.insert(newPair(), certified);
        PairId old = newPair();
        Renewal withCertifiedKey = renewal(old, renewal(old).signingKeyHash(), certified.keyHash());

        String refusedClaim = actor();
        assertThatThrownBy(() -> pipelined.executeWithoutResult(status -> {
                    renewals.claim(withCertifiedKey);
                    audit.recordInCurrentTransaction(
                            AuditEvent.success(refusedClaim, AuditAction.ISSUANCE_INTENDED, null));
                }))
                .isInstanceOf(DataIntegrityViolationException.class)
                .matches(WritesAtCommit.GuardedWrite::refused, "the claim's guard");
        assertThat(renewals.findByOldPair(old)).isEmpty();
        assertThat(recordsOf(refusedClaim))
                .as("the record queued after the claim")
                .isZero();

        Renewal claim = renewal(old);
        String claimed = actor();
        pipelined.executeWithoutResult(status -> {
            renewals.claim(claim);
            audit.recordInCurrentTransaction(AuditEvent.success(claimed, AuditAction.ISSUANCE_INTENDED, null));
            assertThat(renewals.findByOldPair(old))
                    .as("queued until the commit")
                    .isEmpty();
        });
        assertThat(renewals.find(claim.id()).orElseThrow().state()).isEqualTo(RenewalState.REQUESTED);
        assertThat(recordsOf(claimed)).isEqualTo(1);

        String early = actor();
        assertThatThrownBy(() -> completeAndSupersede(claim, early, NOW))
                .as("not issued yet")
                .matches(WritesAtCommit.GuardedWrite::refused, "the completion's guard");
        assertThat(renewals.find(claim.id()).orElseThrow().state()).isEqualTo(RenewalState.REQUESTED);
        assertThat(pairs.find(old).orElseThrow().status()).isEqualTo(PairStatus.ACTIVE);
        assertThat(recordsOf(early)).isZero();

        assertThat(renewals.markIssued(claim, newPair(), NOW)).isTrue();
        String confirmed = actor();
        completeAndSupersede(claim, confirmed, NOW);
        assertThat(renewals.find(claim.id()).orElseThrow().state()).isEqualTo(RenewalState.COMPLETED);
        assertThat(pairs.find(old).orElseThrow().supersededAt()).isEqualTo(NOW);
        assertThat(recordsOf(confirmed)).isEqualTo(1);

        String again = actor();
        assertThatThrownBy(() -> completeAndSupersede(claim, again, NOW.plusSeconds(60)))
                .as("completed once")
                .matches(WritesAtCommit.GuardedWrite::refused, "the completion's guard");
        assertThat(renewals.find(claim.id()).orElseThrow().completedAt())
                .as("the first completion's time")
                .isEqualTo(NOW);
        assertThat(recordsOf(again)).isZero();
    }

    /** The confirmation's transaction: COMPLETED, the old pair superseded and a record, all at the commit. */
    private void completeAndSupersede(Renewal renewal, String actor, Instant at) {
        pipelined.executeWithoutResult(status -> {
            renewals.markCompleted(renewal.id(), at);
            pairs.supersede(renewal.oldPair(), at, null);
            audit.recordInCurrentTransaction(AuditEvent.success(actor, AuditAction.RENEWAL_CONFIRMED, null));
        });
    }

    private int recordsOf(String actor) {
        return recordsOf(jdbc, actor);
    }

    /** The audit records of {@code actor}, waiting to be chained or chained. */
    static int recordsOf(JdbcClient jdbc, String actor) {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM audit_pending WHERE actor = ?)"
                        + " + (SELECT COUNT(*) FROM audit_event WHERE actor = ?)")
                .params(actor, actor)
                .query(Integer.class)
                .single();
    }

    /** An actor no other test uses. */
    static String actor() {
        return UUID.randomUUID().toString().substring(0, 12);
    }

    private long pairsOf(HolderId holder) {
        return jdbc.sql("SELECT COUNT(*) FROM card_pair WHERE holder_id = ?")
                .param(holder.value())
                .query(Long.class)
                .single();
    }

    @Test
    void aRenewalMovesRequestedIssuedCompletedOnlyForward() {
        PairId old = newPair();
        Renewal r = renewal(old);
        renewals.claim(r);
        PairId fresh = newPair();

        assertThatThrownBy(() -> renewals.markCompleted(r.id(), NOW))
                .as("cannot complete before issuance")
                .matches(WritesAtCommit.GuardedWrite::refused, "the completion's guard");
        assertThat(renewals.markIssued(r, fresh, NOW)).isTrue();
        assertThat(renewals.markIssued(r, fresh, NOW)).as("issued once").isFalse();
        renewals.markCompleted(r.id(), NOW);
        assertThat(renewals.find(r.id()).orElseThrow())
                .extracting(Renewal::state, Renewal::newPair)
                .containsExactly(RenewalState.COMPLETED, fresh);
        pairs.supersede(old, NOW, NOW.plusSeconds(3600));
        pairs.supersede(old, NOW.plusSeconds(60), null);
        assertThat(pairs.find(old).orElseThrow())
                .as("idempotent: the second call leaves the first one's times")
                .extracting(CardPair::status, CardPair::supersededAt, CardPair::revokeAfter)
                .containsExactly(PairStatus.SUPERSEDED, NOW, NOW.plusSeconds(3600));
    }

    @Test
    void identicalNewKeysAreRefusedByTheSchemaToo() {
        KeyHash same = new KeyHash(UUID.randomUUID().toString());
        Renewal r = new Renewal(
                RenewalId.random(),
                newPair(),
                RenewalState.REQUESTED,
                same,
                same,
                Der.of(new byte[] {1}),
                Der.of(new byte[] {1}),
                null,
                NOW,
                null,
                null);

        assertThatThrownBy(() -> renewals.claim(r)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aChallengeUseIsRecordedOnceAndForgottenAfterItExpires() {
        StoredChallenge c = new StoredChallenge(
                ChallengeId.random(), ChallengePurpose.STATUS, "nonce", NOW, NOW.plusSeconds(300), NOW, null);

        assertThat(challenges.recordUse(c)).as("first use").isTrue();
        assertThat(challenges.recordUse(c)).as("replay").isFalse();
        assertThat(challenges.find(c.id()).orElseThrow().purpose()).isEqualTo(ChallengePurpose.STATUS);
        assertThat(challenges.deleteExpired(NOW.plusSeconds(300)))
                .as("not before it expires")
                .isZero();
        assertThat(challenges.deleteExpired(NOW.plusSeconds(301))).isEqualTo(1);
        assertThat(challenges.find(c.id())).isEmpty();
    }

    @Test
    void aCmpNonceIsRememberedOnceUntilItExpires() {
        String nonce = java.util.HexFormat.of()
                .formatHex(java.util.UUID.randomUUID().toString().getBytes());

        assertThat(seen.rememberFirstUse(CmpReplayRepository.Kind.SENDER_NONCE, nonce, NOW.plusSeconds(300)))
                .isTrue();
        assertThat(seen.rememberFirstUse(CmpReplayRepository.Kind.SENDER_NONCE, nonce, NOW.plusSeconds(300)))
                .as("replay")
                .isFalse();
        assertThat(seen.rememberFirstUse(CmpReplayRepository.Kind.TRANSACTION, nonce, NOW.plusSeconds(300)))
                .as("another kind")
                .isTrue();
        seen.deleteExpired(NOW.plusSeconds(301));
        assertThat(seen.rememberFirstUse(CmpReplayRepository.Kind.SENDER_NONCE, nonce, NOW.plusSeconds(900)))
                .as("forgotten after it expired")
                .isTrue();
    }

    @Test
    void aRenewalTokenStoredWithAChallengesUseResolvesOnlyUntilItExpiresAndIsKeptThatLong() {
        PairId pair = newPair();
        NewCertificate signing = certificate(CertificateKind.SIGNING);
        CertificateId certificate = certificates.insert(pair, signing);
        certificates.insert(pair, certificate(CertificateKind.ENCRYPTION));
        String hash = KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes());
        Instant tokenExpires = NOW.plus(Duration.ofMinutes(15));
        StoredChallenge used = new StoredChallenge(
                ChallengeId.random(),
                ChallengePurpose.STATUS,
                "nonce",
                NOW,
                NOW.plusSeconds(300),
                NOW,
                new StoredChallenge.RenewalTokenHash(hash, signing.serial(), tokenExpires));
        assertThat(challenges.recordUse(used)).isTrue();
        assertThat(challenges.find(used.id())).contains(used);

        assertThat(snapshots.ofRenewalToken(hash, tokenExpires))
                .hasValueSatisfying(b -> assertThat(b.bound()).isEqualTo(certificate));
        assertThat(snapshots.ofRenewalToken(hash, tokenExpires.plusSeconds(1))).isEmpty();
        assertThat(challenges.deleteExpired(NOW.plusSeconds(301)))
                .as("the challenge expired, its token not yet")
                .isZero();
        assertThat(challenges.deleteExpired(tokenExpires.plusSeconds(1))).isEqualTo(1);
        assertThat(challenges.find(used.id())).isEmpty();
    }

    @Test
    void auditRecordsFormAVerifiableChain() {
        for (int i = 0; i < 3; i++) {
            recordChained(AuditEvent.success("1a2b", AuditAction.STATUS_SHOWN, new ClientAddress("127.0.0.1"))
                    .code("RENEWABLE")
                    .certificate("1a2b")
                    .detail("detail " + i));
        }

        assertThat(audit.verify()).isEqualTo(-1);
        AuditRecord last = auditRepository.all().get(auditRepository.all().size() - 1);
        assertThat(last.code()).isEqualTo("RENEWABLE");
        assertThat(last.prevHash())
                .isEqualTo(auditRepository
                        .all()
                        .get(auditRepository.all().size() - 2)
                        .hash());
    }

    @Test
    void anEditedAuditRecordBreaksTheChain() {
        recordChained(AuditEvent.success("admin", AuditAction.ENROLLED, null)
                .certificate("ab")
                .detail("x"));
        recordChained(AuditEvent.success("admin", AuditAction.ENROLLED, null)
                .certificate("cd")
                .detail("y"));
        java.util.List<AuditRecord> records = new java.util.ArrayList<>(auditRepository.all());
        AuditRecord edited = records.get(records.size() - 2);
        records.set(
                records.size() - 2,
                new AuditRecord(
                        edited.seq(),
                        edited.occurredAt(),
                        "someone-else",
                        edited.action(),
                        edited.outcome(),
                        edited.code(),
                        edited.certificateSerial(),
                        edited.renewalId(),
                        edited.detail(),
                        edited.clientAddress(),
                        edited.prevHash(),
                        edited.hash()));

        assertThat(org.cardrenew.server.audit.AuditChain.firstBroken(records)).isEqualTo(edited.seq());
    }

    @Test
    void anOfficerCardBindingFollowsTheHoldersCurrentSigningCertificateThroughARenewal() {
        PairId old = newPair();
        NewCertificate oldSigning = certificate(CertificateKind.SIGNING);
        certificates.insert(old, oldSigning);
        HolderId holder = pairs.find(old).orElseThrow().holderId();
        ConsoleCardRepository cards = new ConsoleCardRepository(jdbc);
        String user = "officer-" + holder.value();
        jdbc.sql("INSERT INTO console_user (name, role, password_hash, totp_key, last_step, created_at, created_by) "
                        + "VALUES (?, 'OFFICER', '{noop}x', ?, -1, ?, 'test')")
                .params(user, new byte[20], Timestamps.of(NOW))
                .update();
        assertThat(cards.holderOf(oldSigning.serial())).contains(holder);
        cards.bind(holder, user, NOW);
        assertThatThrownBy(() -> cards.bind(holder, user, NOW)).isInstanceOf(DuplicateKeyException.class);
        assertThat(cards.userOfCurrentSigningCertificate(oldSigning.serial())).contains(user);

        Renewal renewal = renewal(old);
        renewals.claim(renewal);
        PairId next = pairs.create(holder, NOW);
        NewCertificate newSigning = certificate(CertificateKind.SIGNING);
        NewCertificate newEncryption = certificate(CertificateKind.ENCRYPTION);
        certificates.insert(next, newSigning);
        certificates.insert(next, newEncryption);
        renewals.markIssued(renewal, next, NOW);
        assertThat(cards.userOfCurrentSigningCertificate(newSigning.serial()))
                .as("issued, unconfirmed")
                .isEmpty();
        assertThat(cards.userOfCurrentSigningCertificate(oldSigning.serial())).contains(user);

        renewals.markCompleted(renewal.id(), NOW);
        pairs.supersede(old, NOW, null);
        assertThat(cards.userOfCurrentSigningCertificate(oldSigning.serial()))
                .as("superseded")
                .isEmpty();
        assertThat(cards.userOfCurrentSigningCertificate(newSigning.serial())).contains(user);
        assertThat(cards.userOfCurrentSigningCertificate(newEncryption.serial()))
                .as("not a signing certificate")
                .isEmpty();

        certificates.revoke(newSigning.serial(), NOW, "keyCompromise");
        assertThat(cards.userOfCurrentSigningCertificate(newSigning.serial()))
                .as("revoked")
                .isEmpty();
    }

    @Test
    void theMigrationMovesACertificateBindingToItsHolderAndDropsOneThisCaNeverIssued() {
        DataSource fresh = migratedTo(dataSource(), "8");
        JdbcClient old = JdbcClient.create(fresh);
        PairId pair = pairOfNewHolder(old, "HM1", "林雅琪");
        NewCertificate signing = certificate(CertificateKind.SIGNING);
        new CertificateRepository(old).insert(pair, signing);
        old.sql("INSERT INTO console_user (name, role, password_hash, totp_key, last_step, created_at, created_by) "
                        + "VALUES ('lin', 'OFFICER', '{noop}x', ?, -1, ?, 'test')")
                .params(new byte[20], Timestamps.of(NOW))
                .update();
        old.sql(
                        "INSERT INTO console_card (certificate_serial, user_name, created_at) VALUES (?, 'lin', ?), ('ff01', 'lin', ?)")
                .params(signing.serial(), Timestamps.of(NOW), Timestamps.of(NOW))
                .update();

        migrated(fresh);
        assertThat(old.sql("SELECT holder_id, user_name FROM console_officer_card")
                        .query((rs, n) -> rs.getString(1) + "=" + rs.getString(2))
                        .list())
                .containsExactly("HM1=lin");
        assertThat(new ConsoleCardRepository(old).userOfCurrentSigningCertificate(signing.serial()))
                .contains("lin");
    }

    @Test
    void everyEnumerationTakesEachOfItsConstantsAndNothingElse() {
        JdbcClient db = JdbcClient.create(migrated(dataSource()));
        PairId pair = pairOfNewHolder(db, "HE1", "陳怡君");
        CertificateId certificate = new CertificateRepository(db).insert(pair, certificate(CertificateKind.SIGNING));
        Renewal claimed = renewal(pair);
        new RenewalRepository(db).claim(claimed);

        for (PairStatus status : PairStatus.values()) {
            assertThat(db.sql("UPDATE card_pair SET status = ? WHERE id = ?")
                            .params(status.name(), pair.value())
                            .update())
                    .as(status.name())
                    .isEqualTo(1);
        }
        for (CertificateKind kind : CertificateKind.values()) {
            assertThat(db.sql("UPDATE certificate SET kind = ? WHERE id = ?")
                            .params(kind.name(), certificate.value())
                            .update())
                    .as(kind.name())
                    .isEqualTo(1);
        }
        for (RenewalState state : RenewalState.values()) {
            assertThat(db.sql("UPDATE renewal SET state = ? WHERE id = ?")
                            .params(state.name(), claimed.id().toString())
                            .update())
                    .as(state.name())
                    .isEqualTo(1);
        }
        String insertAudit = "INSERT INTO audit_event (seq, occurred_at, actor, action, outcome, prev_hash, hash) "
                + "VALUES (?, ?, 'test', 'ENROLLED', ?, '00', ?)";
        long seq = 1_000_000;
        for (AuditOutcome outcome : AuditOutcome.values()) {
            seq++;
            assertThat(db.sql(insertAudit)
                            .params(seq, Timestamps.of(NOW), outcome.name(), "h" + seq)
                            .update())
                    .as(outcome.name())
                    .isEqualTo(1);
        }

        assertThatThrownBy(() -> db.sql("UPDATE card_pair SET status = 'LOST' WHERE id = ?")
                        .param(pair.value())
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.sql("UPDATE certificate SET kind = 'AUTHENTICATION' WHERE id = ?")
                        .param(certificate.value())
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.sql("UPDATE renewal SET state = 'CANCELLED' WHERE id = ?")
                        .param(claimed.id().toString())
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.sql(insertAudit)
                        .params(2_000_000L, Timestamps.of(NOW), "MAYBE", "h-maybe")
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    /** A holder of the ministry saved with a first card pair, straight through the repositories. */
    protected static PairId pairOfNewHolder(JdbcClient db, String holderId, String name) {
        HolderId holder = new HolderId(holderId);
        new HolderRepository(db).save(new Holder(holder, name, "內政部", null, "zh-TW"), NOW);
        return new CardPairRepository(db).create(holder, NOW);
    }

    /** The source with the migrations up to {@code version} applied: an older schema, for a migration's test. */
    protected static DataSource migratedTo(DataSource source, String version) {
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .target(version)
                .load()
                .migrate();
        return source;
    }

    /** The source with every migration applied. */
    protected static DataSource migrated(DataSource source) {
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return source;
    }

    private PairId newPair() {
        HolderId holder = new HolderId("H" + UUID.randomUUID().toString().substring(0, 8));
        holders.save(new Holder(holder, "王小明", "內政部", null, "zh-TW"), NOW);
        return pairs.create(holder, NOW);
    }

    private static NewCertificate certificate(CertificateKind kind) {
        return new NewCertificate(
                kind,
                serial(),
                "C=TW,O=MOI,CN=Test,SERIALNUMBER=A1",
                NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(730)),
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                Der.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
    }

    private static Renewal renewal(PairId pair) {
        return renewal(
                pair,
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())));
    }

    private static Renewal renewal(PairId pair, KeyHash signing, KeyHash encryption) {
        return new Renewal(
                RenewalId.random(),
                pair,
                RenewalState.REQUESTED,
                signing,
                encryption,
                Der.of(new byte[] {1}),
                Der.of(new byte[] {2}),
                null,
                NOW,
                null,
                null);
    }

    private static String serial() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Records the event and links it into the chain at once, as the server's chainer does a moment later. */
    private void recordChained(AuditEvent event) {
        audit.record(event);
        chainer.chainPending();
    }
}
