package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.config.ChallengeProperties;
import org.cardrenew.server.store.ChallengePurpose;
import org.cardrenew.server.store.ChallengeRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Stateless challenges: two nodes sharing the challenge key and one database (H2 and PostgreSQL) accept each other's
 * challenges once, and refuse replays, expired ones, another purpose's, and ids or nonces the key did not make.
 */
class ChallengeServiceTest {

    private static final ChallengeProperties FIVE_MINUTES = new ChallengeProperties(Duration.ofMinutes(5));

    private final MutableClock clock = new MutableClock();

    static Stream<Named<DataSource>> databases() {
        PostgresSchema schema = PostgresSchema.fresh();
        return Stream.of(
                Named.of(
                        "H2",
                        new SimpleDriverDataSource(
                                new org.h2.Driver(),
                                "jdbc:h2:mem:challenges-" + UUID.randomUUID()
                                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                                "sa",
                                "")),
                Named.of(
                        "PostgreSQL",
                        new SimpleDriverDataSource(
                                new org.postgresql.Driver(), schema.url(), schema.user(), schema.password())));
    }

    private ChallengeService node(DataSource database, String key) {
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new ChallengeService(
                new ChallengeRepository(JdbcClient.create(database)),
                new ChallengeKey(key),
                FIVE_MINUTES,
                new SimpleMeterRegistry(),
                clock);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChallengeIssuedByOneNodeIsUsedOnceOnAnyNodeSharingTheKey(DataSource database) {
        ChallengeService first = node(database, "shared-key");
        ChallengeService second = node(database, "shared-key");
        ChallengeResponse challenge = first.issue(ChallengePurpose.STATUS);

        assertThat(consume(second, challenge.challengeId(), ChallengePurpose.STATUS))
                .isEqualTo(challenge.nonce());
        assertRefused(ErrorCode.CHALLENGE_USED, () -> consume(first, challenge.challengeId(), ChallengePurpose.STATUS));
        assertRefused(
                ErrorCode.CHALLENGE_USED, () -> consume(second, challenge.challengeId(), ChallengePurpose.STATUS));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChallengeIsValidUntilItsExpiryAndRefusedOneSecondAfter(DataSource database) {
        ChallengeService node = node(database, "shared-key");
        ChallengeResponse onTime = node.issue(ChallengePurpose.STATUS);
        ChallengeResponse late = node.issue(ChallengePurpose.STATUS);
        clock.set(onTime.expiresAt());

        assertThat(consume(node, onTime.challengeId(), ChallengePurpose.STATUS)).isEqualTo(onTime.nonce());
        clock.advance(Duration.ofSeconds(1));
        assertRefused(ErrorCode.CHALLENGE_EXPIRED, () -> consume(node, late.challengeId(), ChallengePurpose.STATUS));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anotherPurposesChallengeIsUnknownAndStaysUnused(DataSource database) {
        ChallengeService node = node(database, "shared-key");
        ChallengeResponse signIn = node.issue(ChallengePurpose.CONSOLE_SIGN_IN);

        assertRefused(ErrorCode.CHALLENGE_UNKNOWN, () -> consume(node, signIn.challengeId(), ChallengePurpose.STATUS));
        assertThat(consume(node, signIn.challengeId(), ChallengePurpose.CONSOLE_SIGN_IN))
                .isEqualTo(signIn.nonce());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void idsTheKeyDidNotMakeAreUnknown(DataSource database) {
        ChallengeService node = node(database, "shared-key");
        ChallengeService stranger = node(database, "another-key");
        String id = node.issue(ChallengePurpose.STATUS).challengeId();
        String[] parts = id.split("\\.");
        String laterExpiry = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3];
        String otherPurpose = parts[0] + ".CONSOLE_SIGN_IN." + parts[2] + "." + parts[3];

        assertRefused(ErrorCode.CHALLENGE_UNKNOWN, () -> consume(node, laterExpiry, ChallengePurpose.STATUS));
        assertRefused(ErrorCode.CHALLENGE_UNKNOWN, () -> consume(node, otherPurpose, ChallengePurpose.CONSOLE_SIGN_IN));
        assertRefused(
                ErrorCode.CHALLENGE_UNKNOWN,
                () -> consume(node, UUID.randomUUID().toString(), ChallengePurpose.STATUS));
        assertRefused(ErrorCode.CHALLENGE_UNKNOWN, () -> consume(node, "a.b.c.d", ChallengePurpose.STATUS));
        assertRefused(ErrorCode.CHALLENGE_UNKNOWN, () -> consume(stranger, id, ChallengePurpose.STATUS));
        assertThat(consume(node, id, ChallengePurpose.STATUS))
                .as("refusals wrote nothing")
                .isNotBlank();
    }

    private static void assertRefused(ErrorCode code, Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOf(RaException.class)
                .extracting(e -> ((RaException) e).code())
                .isEqualTo(code);
    }

    /** What the authenticator does with a challenge: checks it, then records its use (CardAuthenticator). */
    private static String consume(ChallengeService node, String challengeId, ChallengePurpose purpose) {
        ChallengeService.Usable challenge = node.usable(challengeId, purpose);
        node.recordUse(challenge, null);
        return challenge.nonce();
    }
}
