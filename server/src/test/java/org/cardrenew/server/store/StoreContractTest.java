package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The repositories and the schema's constraints; run on H2 and on PostgreSQL by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00.123456Z");

    private HolderRepository holders;
    private CardPairRepository pairs;
    private CertificateRepository certificates;
    private RenewalRepository renewals;
    private ChallengeRepository challenges;
    private RenewalTokenRepository tokens;
    private AuditRepository auditRepository;
    private AuditLog audit;
    private PairSnapshots snapshots;

    protected abstract DataSource dataSource();

    @BeforeAll
    void migrate() {
        DataSource dataSource = dataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        holders = new HolderRepository(jdbc);
        pairs = new CardPairRepository(jdbc);
        certificates = new CertificateRepository(jdbc);
        renewals = new RenewalRepository(jdbc);
        challenges = new ChallengeRepository(jdbc);
        tokens = new RenewalTokenRepository(jdbc);
        auditRepository = new AuditRepository(jdbc);
        snapshots = new PairSnapshots(jdbc);
        audit = new AuditLog(auditRepository, new DataSourceTransactionManager(dataSource), new MutableClock(),
                new SimpleMeterRegistry());
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
        assertThat(before.certificates()).extracting(StoredCertificate::kind)
                .containsExactly(CertificateKind.SIGNING, CertificateKind.ENCRYPTION);
        assertThat(before.certificates().get(0).der()).isEqualTo(signing.der());
        assertThat(before.renewal()).isEmpty();

        Renewal claimed = renewal(pair);
        renewals.insertRequested(claimed);
        PairSnapshots.PairSnapshot after = snapshots.ofCertificate(encryption.serial()).orElseThrow();
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
        renewals.insertRequested(claimed);
        Instant at = Instant.parse("2026-11-26T02:40:00.123456Z"); // whole microseconds, as RenewalIssuance passes it

        assertThat(renewals.markIssued(claimed.id(), next, at)).isTrue();
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
    void theDatabaseRefusesToCertifyAKeyTwice() {
        NewCertificate first = certificate(CertificateKind.SIGNING);
        certificates.insert(newPair(), first);
        NewCertificate sameKey = new NewCertificate(CertificateKind.SIGNING, serial(), "CN=other", NOW, NOW.plusSeconds(60),
                first.keyHash(), new byte[] {1});

        assertThatThrownBy(() -> certificates.insert(newPair(), sameKey)).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void aPairHasAtMostOneRenewal() {
        PairId pair = newPair();
        renewals.insertRequested(renewal(pair));

        assertThatThrownBy(() -> renewals.insertRequested(renewal(pair))).isInstanceOf(DuplicateKeyException.class);
        assertThat(renewals.findByOldPair(pair)).get().extracting(Renewal::state).isEqualTo(RenewalState.REQUESTED);
    }

    @Test
    void aRenewalMovesRequestedIssuedCompletedOnlyForward() {
        PairId old = newPair();
        Renewal r = renewal(old);
        renewals.insertRequested(r);
        PairId fresh = newPair();

        assertThat(renewals.markCompleted(r.id(), NOW)).as("cannot complete before issuance").isFalse();
        assertThat(renewals.markIssued(r.id(), fresh, NOW)).isTrue();
        assertThat(renewals.markIssued(r.id(), fresh, NOW)).as("issued once").isFalse();
        assertThat(renewals.markCompleted(r.id(), NOW)).isTrue();
        assertThat(renewals.find(r.id()).orElseThrow())
                .extracting(Renewal::state, Renewal::newPair)
                .containsExactly(RenewalState.COMPLETED, fresh);
        assertThat(pairs.supersede(old, NOW, null)).isTrue();
        assertThat(pairs.supersede(old, NOW, null)).as("idempotent").isFalse();
        assertThat(pairs.find(old).orElseThrow().status()).isEqualTo(PairStatus.SUPERSEDED);
    }

    @Test
    void identicalNewKeysAreRefusedByTheSchemaToo() {
        KeyHash same = new KeyHash(UUID.randomUUID().toString());
        Renewal r = new Renewal(RenewalId.random(), newPair(), RenewalState.REQUESTED, same, same, new byte[] {1},
                new byte[] {1}, null, NOW, null, null);

        assertThatThrownBy(() -> renewals.insertRequested(r)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aChallengeIsUsableOnceAndNotAfterItExpires() {
        StoredChallenge c = new StoredChallenge(ChallengeId.random(), "nonce", NOW, NOW.plusSeconds(300), null);
        challenges.insert(c);
        StoredChallenge late = new StoredChallenge(ChallengeId.random(), "nonce", NOW, NOW.plusSeconds(300), null);
        challenges.insert(late);

        assertThat(challenges.consume(c.id(), NOW.plusSeconds(300))).as("valid at expiresAt").isTrue();
        assertThat(challenges.consume(c.id(), NOW.plusSeconds(1))).as("replay").isFalse();
        assertThat(challenges.consume(late.id(), NOW.plusSeconds(301))).as("expired").isFalse();
        assertThat(challenges.find(late.id()).orElseThrow().usedAt()).isNull();
    }

    @Test
    void aRenewalTokenResolvesOnlyUntilItExpires() {
        PairId pair = newPair();
        CertificateId certificate = certificates.insert(pair, certificate(CertificateKind.SIGNING));
        String hash = KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes());
        tokens.insert(hash, certificate, NOW, NOW.plus(Duration.ofMinutes(15)));

        assertThat(tokens.findValid(hash, NOW.plus(Duration.ofMinutes(15)))).contains(certificate);
        assertThat(tokens.findValid(hash, NOW.plus(Duration.ofMinutes(15)).plusSeconds(1))).isEmpty();
    }

    @Test
    void auditRecordsFormAVerifiableChain() {
        for (int i = 0; i < 3; i++) {
            audit.record(new AuditEvent("1a2b", AuditAction.STATUS_SHOWN, AuditOutcome.SUCCESS, "RENEWABLE", "1a2b", null,
                    "detail " + i, new ClientAddress("127.0.0.1")));
        }

        assertThat(audit.verify()).isEqualTo(-1);
        AuditRecord last = auditRepository.all().get(auditRepository.all().size() - 1);
        assertThat(last.code()).isEqualTo("RENEWABLE");
        assertThat(last.prevHash()).isEqualTo(auditRepository.all().get(auditRepository.all().size() - 2).hash());
    }

    @Test
    void anEditedAuditRecordBreaksTheChain() {
        audit.record(new AuditEvent("admin", AuditAction.ENROLLED, AuditOutcome.SUCCESS, null, "ab", null, "x", null));
        audit.record(new AuditEvent("admin", AuditAction.ENROLLED, AuditOutcome.SUCCESS, null, "cd", null, "y", null));
        java.util.List<AuditRecord> records = new java.util.ArrayList<>(auditRepository.all());
        AuditRecord edited = records.get(records.size() - 2);
        records.set(records.size() - 2, new AuditRecord(edited.seq(), edited.occurredAt(), "someone-else", edited.action(),
                edited.outcome(), edited.code(), edited.certificateSerial(), edited.renewalId(), edited.detail(),
                edited.clientAddress(), edited.prevHash(), edited.hash()));

        assertThat(org.cardrenew.server.audit.AuditChain.firstBroken(records)).isEqualTo(edited.seq());
    }

    private PairId newPair() {
        HolderId holder = new HolderId("H" + UUID.randomUUID().toString().substring(0, 8));
        holders.save(new Holder(holder, "王小明", "內政部", null, "zh-TW"), NOW);
        return pairs.create(holder, NOW);
    }

    private static NewCertificate certificate(CertificateKind kind) {
        return new NewCertificate(kind, serial(), "C=TW,O=MOI,CN=Test,SERIALNUMBER=A1", NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(730)), new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
    }

    private static Renewal renewal(PairId pair) {
        return new Renewal(RenewalId.random(), pair, RenewalState.REQUESTED,
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())),
                new KeyHash(KeyHash.sha256Hex(UUID.randomUUID().toString().getBytes())), new byte[] {1}, new byte[] {2}, null,
                NOW, null, null);
    }

    private static String serial() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
