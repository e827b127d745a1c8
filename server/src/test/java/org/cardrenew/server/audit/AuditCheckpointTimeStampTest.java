package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.cardrenew.server.store.AuditCheckpoint;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Issue 13 item 6: checkpoints anchored in an RFC 3161 time-stamp authority — a small TSA made with BouncyCastle,
 * served over HTTP on a random local port — and what the verifier makes of their tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditCheckpointTimeStampTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    private final MutableClock clock = new MutableClock();
    private final AtomicLong tsaSkew = new AtomicLong();
    private HttpServer tsa;
    private Tsa trustedTsa;
    private JdbcClient jdbc;
    private AuditLog audit;
    private AuditChainer chainer;
    private AuditCheckpointRepository checkpointRows;
    private AuditRepository records;
    private DataSourceTransactionManager transactions;
    private AuditKey key;

    /** A TSA: its key, its certificate with the critical timeStamping key purpose RFC 3161 §2.3 asks for. */
    private record Tsa(KeyPair keys, X509Certificate certificate) {
        static Tsa create(String name) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    BigInteger.TEN,
                    Date.from(START.minus(Duration.ofDays(1))),
                    Date.from(START.plus(Duration.ofDays(3650))),
                    subject,
                    keys.getPublic());
            builder.addExtension(
                    Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Tsa(keys, certificate);
        }

        byte[] answer(byte[] query, Instant at, long serial) throws Exception {
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                    new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", keys.getPrivate(), certificate),
                    new org.bouncycastle.operator.bc.BcDigestCalculatorProvider()
                            .get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                    org.bouncycastle.asn1.oiw.OIWObjectIdentifiers.idSHA1)),
                    new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
            tokens.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(java.util.List.of(certificate)));
            return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
                    .generate(new TimeStampRequest(query), BigInteger.valueOf(serial), Date.from(at))
                    .getEncoded();
        }
    }

    @BeforeAll
    void startTheTsaAndTheTrail() throws Exception {
        trustedTsa = Tsa.create("Test TSA");
        AtomicLong serial = new AtomicLong();
        tsa = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tsa.createContext("/tsa", exchange -> {
            try (InputStream in = exchange.getRequestBody();
                    OutputStream out = exchange.getResponseBody()) {
                byte[] answer = trustedTsa.answer(
                        in.readNBytes(64 * 1024), clock.instant().plusSeconds(tsaSkew.get()), serial.incrementAndGet());
                exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(200, answer.length);
                out.write(answer);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        tsa.start();
        DataSource dataSource = new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:tsa-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
        records = new AuditRepository(jdbc);
        checkpointRows = new AuditCheckpointRepository(jdbc);
        chainer = new AuditChainer(records, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(records, chainer, transactions, clock, new SimpleMeterRegistry());
        key = AuditKey.create(START);
    }

    @AfterAll
    void stopTheTsa() {
        tsa.stop(0);
    }

    @BeforeEach
    void emptyTrail() {
        jdbc.sql("DELETE FROM audit_checkpoint").update();
        jdbc.sql("DELETE FROM audit_event").update();
        jdbc.sql("UPDATE audit_head SET last_seq = 0, last_hash = '" + AuditChain.GENESIS + "' WHERE id = 1")
                .update();
        clock.set(START);
        tsaSkew.set(0);
    }

    @Test
    void aCheckpointIsTimeStampedAndItsTokenVerifies() {
        AuditCheckpoint signed = recordAndSign(stampingAt("/tsa"));
        assertThat(signed.timestampToken()).isNotNull();
        AuditVerification result = verifier(trustedTsa.certificate()).verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.timestamped()).isEqualTo(1);
    }

    @Test
    void aTokenFromAnotherTsaIsReported() throws Exception {
        recordAndSign(stampingAt("/tsa"));
        AuditVerification result =
                verifier(Tsa.create("Someone else").certificate()).verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(1);
        assertThat(result.reason()).contains("time-stamp token does not verify");
    }

    @Test
    void aTokenMovedToAnotherCheckpointIsReported() {
        AuditCheckpoint first = recordAndSign(stampingAt("/tsa"));
        AuditCheckpoint second = recordAndSign(stampingAt("/tsa"));
        jdbc.sql("UPDATE audit_checkpoint SET timestamp_token = ? WHERE seq = ?")
                .params(first.timestampToken(), second.seq())
                .update();
        AuditVerification result = verifier(trustedTsa.certificate()).verify();
        assertThat(result.firstBadSeq()).isEqualTo(2);
        assertThat(result.reason()).contains("covers something else");
    }

    @Test
    void aCheckpointSignedLongBeforeItsTimeStampIsReported() {
        // a backdated checkpoint: whoever holds the audit key signs "an hour ago", but the TSA says now
        tsaSkew.set(Duration.ofHours(1).toSeconds());
        recordAndSign(stampingAt("/tsa"));
        AuditVerification result = verifier(trustedTsa.certificate()).verify();
        assertThat(result.firstBadSeq()).isEqualTo(1);
        assertThat(result.reason()).contains("not when the checkpoint says it was signed");
    }

    @Test
    void aTsaThatIsDownDoesNotStopSigning() {
        AuditCheckpoint signed = recordAndSign(stampingAt("/nothing-here"));
        assertThat(signed.timestampToken()).isNull();
        AuditVerification result = verifier(trustedTsa.certificate()).verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.timestamped()).isZero();
    }

    private TimeStampAuthority stampingAt(String path) {
        return new TimeStampAuthority(
                URI.create("http://127.0.0.1:" + tsa.getAddress().getPort() + path),
                trustedTsa.certificate(),
                Duration.ofSeconds(5));
    }

    private AuditCheckpoint recordAndSign(TimeStampAuthority timeStamps) {
        recordChained(AuditEvent.success("serial", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.1"))
                .code("RENEWABLE")
                .certificate("0a0b0c")
                .detail("event"));
        clock.advance(Duration.ofSeconds(1));
        return new AuditCheckpoints(checkpointRows, key, clock, timeStamps)
                .signHead()
                .orElseThrow();
    }

    private AuditVerifier verifier(X509Certificate tsaCertificate) {
        return new AuditVerifier(
                records,
                checkpointRows,
                transactions,
                new CheckpointPolicy(
                        Set.of(key.fingerprint()),
                        true,
                        0,
                        Duration.ofHours(1),
                        clock,
                        new TimeStampAuthority(null, tsaCertificate, Duration.ofSeconds(5))));
    }

    /** Records the event and links it into the chain at once, as the server's chainer does a moment later. */
    private void recordChained(AuditEvent event) {
        audit.record(event);
        chainer.chainPending();
    }
}
