package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.IssuanceRequest;
import org.cardrenew.ca.IssuedCertificate;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.CertificateId;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.PairStatus;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.StoredCertificate;
import org.cardrenew.server.testsupport.Keys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one card authenticator (issue 13 item 4), case by case: what every use refuses (foreign issuer, not the stored
 * signing certificate, wrong key usage, not yet valid) and what each use accepts of the card's standing (expired,
 * revoked, superseded, outside or inside the window, a renewal issued).
 */
class CardAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    private static final X500Principal ISSUER = new X500Principal("CN=CardRenew Test Issuing CA,O=Test,C=TW");
    private static final KeyPair CA_KEYS = Keys.p256();
    private static final KeyPair FOREIGN_KEYS = Keys.p256();
    private static final KeyPair CARD_KEYS = Keys.p256();
    private static final AtomicLong SERIALS = new AtomicLong(0x1000);
    private static final int SIGNING_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;

    /** What the store holds about the presented certificate's pair, and the certificate presented. */
    private record Card(X509Certificate presented, Optional<CurrentPair> stored) {}

    static Stream<Arguments> cases() {
        return Stream.of(
                accepted("ok/renewable for renewal", CardUse.RENEWAL, inWindow(), CertificateStatus.RENEWABLE),
                accepted("ok/renewable for sign-in", CardUse.CONSOLE_SIGN_IN, inWindow(), CertificateStatus.RENEWABLE),
                accepted(
                        "ok/not yet renewable for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        outsideWindow(),
                        CertificateStatus.NOT_YET_RENEWABLE),
                accepted(
                        "ok/not yet renewable is shown by status",
                        CardUse.STATUS,
                        outsideWindow(),
                        CertificateStatus.NOT_YET_RENEWABLE),
                refused(
                        "fail/not yet renewable for renewal",
                        CardUse.RENEWAL,
                        outsideWindow(),
                        ErrorCode.NOT_YET_RENEWABLE),
                refused("fail/expired for renewal", CardUse.RENEWAL, expired(), ErrorCode.CERTIFICATE_EXPIRED),
                refused("fail/expired for sign-in", CardUse.CONSOLE_SIGN_IN, expired(), ErrorCode.CERTIFICATE_EXPIRED),
                accepted("ok/expired is shown by status", CardUse.STATUS, expired(), CertificateStatus.EXPIRED),
                accepted(
                        "ok/expired with its renewal issued resumes",
                        CardUse.RENEWAL,
                        expiredWithRenewal(RenewalState.ISSUED),
                        CertificateStatus.RENEWAL_IN_PROGRESS),
                refused(
                        "fail/expired with its renewal issued for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        expiredWithRenewal(RenewalState.ISSUED),
                        ErrorCode.CERTIFICATE_EXPIRED),
                refused(
                        "fail/not yet valid for renewal",
                        CardUse.RENEWAL,
                        notYetValid(),
                        ErrorCode.CERTIFICATE_NOT_YET_VALID),
                refused(
                        "fail/not yet valid for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        notYetValid(),
                        ErrorCode.CERTIFICATE_NOT_YET_VALID),
                refused(
                        "fail/not yet valid for status",
                        CardUse.STATUS,
                        notYetValid(),
                        ErrorCode.CERTIFICATE_NOT_YET_VALID),
                refused(
                        "fail/certificate revoked for renewal",
                        CardUse.RENEWAL,
                        revokedCertificate(),
                        ErrorCode.CERTIFICATE_REVOKED),
                refused(
                        "fail/certificate revoked for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        revokedCertificate(),
                        ErrorCode.CERTIFICATE_REVOKED),
                refused(
                        "fail/pair revoked for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        revokedPair(),
                        ErrorCode.CERTIFICATE_REVOKED),
                accepted(
                        "ok/revoked is shown by status",
                        CardUse.STATUS,
                        revokedCertificate(),
                        CertificateStatus.REVOKED),
                refused(
                        "fail/superseded for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        superseded(),
                        ErrorCode.ALREADY_RENEWED),
                accepted(
                        "ok/superseded resumes its renewal",
                        CardUse.RENEWAL,
                        superseded(),
                        CertificateStatus.ALREADY_RENEWED),
                refused(
                        "fail/foreign issuer for renewal",
                        CardUse.RENEWAL,
                        foreignIssuer(),
                        ErrorCode.CERTIFICATE_UNKNOWN),
                refused(
                        "fail/foreign issuer for status",
                        CardUse.STATUS,
                        foreignIssuer(),
                        ErrorCode.CERTIFICATE_UNKNOWN),
                refused(
                        "fail/wrong key usage for sign-in",
                        CardUse.CONSOLE_SIGN_IN,
                        wrongKeyUsage(),
                        ErrorCode.CERTIFICATE_UNKNOWN),
                refused(
                        "fail/wrong key usage for renewal",
                        CardUse.RENEWAL,
                        wrongKeyUsage(),
                        ErrorCode.CERTIFICATE_UNKNOWN),
                refused(
                        "fail/the encryption certificate for renewal",
                        CardUse.RENEWAL,
                        encryptionPresented(),
                        ErrorCode.CERTIFICATE_UNKNOWN),
                refused("fail/not in the store", CardUse.RENEWAL, notStored(), ErrorCode.CERTIFICATE_UNKNOWN),
                refused(
                        "fail/other bytes under the stored serial",
                        CardUse.CONSOLE_SIGN_IN,
                        otherBytes(),
                        ErrorCode.CERTIFICATE_UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void authenticates(CardUse use, Card card, CertificateStatus acceptedAs, ErrorCode refusedWith) {
        CardAuthenticator authenticator = authenticator(card);
        if (refusedWith == null) {
            AuthenticatedCard authenticated = authenticator.byProtocol(card.presented(), use);
            assertThat(authenticated.standing()).isEqualTo(acceptedAs);
            assertThat(authenticated.serial())
                    .isEqualTo(card.presented().getSerialNumber().toString(16));
        } else {
            CardRefusal refusal =
                    catchThrowableOfType(CardRefusal.class, () -> authenticator.byProtocol(card.presented(), use));
            assertThat(refusal).as("refused").isNotNull();
            assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(refusedWith);
            assertThat(refusal.serial())
                    .isEqualTo(card.presented().getSerialNumber().toString(16));
        }
    }

    private static Arguments accepted(String name, CardUse use, Card card, CertificateStatus standing) {
        return Arguments.argumentSet(name, use, card, standing, null);
    }

    private static Arguments refused(String name, CardUse use, Card card, ErrorCode code) {
        return Arguments.argumentSet(name, use, card, null, code);
    }

    // --- the cards: validity 730 days, the renewal window 30 days before notAfter

    private static Card inWindow() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(720)), NOW.plus(Duration.ofDays(10)), SIGNING_USAGE),
                PairStatus.ACTIVE,
                null,
                null);
    }

    private static Card outsideWindow() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(720)), SIGNING_USAGE),
                PairStatus.ACTIVE,
                null,
                null);
    }

    private static Card expired() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(731)), NOW.minusSeconds(1), SIGNING_USAGE),
                PairStatus.ACTIVE,
                null,
                null);
    }

    private static Card expiredWithRenewal(RenewalState state) {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(731)), NOW.minusSeconds(1), SIGNING_USAGE),
                PairStatus.ACTIVE,
                null,
                state);
    }

    private static Card notYetValid() {
        return stored(
                issue(CA_KEYS, NOW.plusSeconds(1), NOW.plus(Duration.ofDays(730)), SIGNING_USAGE),
                PairStatus.ACTIVE,
                null,
                null);
    }

    private static Card revokedCertificate() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(720)), NOW.plus(Duration.ofDays(10)), SIGNING_USAGE),
                PairStatus.ACTIVE,
                NOW.minusSeconds(60),
                null);
    }

    private static Card revokedPair() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(720)), NOW.plus(Duration.ofDays(10)), SIGNING_USAGE),
                PairStatus.REVOKED,
                null,
                null);
    }

    private static Card superseded() {
        return stored(
                issue(CA_KEYS, NOW.minus(Duration.ofDays(720)), NOW.plus(Duration.ofDays(10)), SIGNING_USAGE),
                PairStatus.SUPERSEDED,
                null,
                RenewalState.COMPLETED);
    }

    private static Card foreignIssuer() {
        X509Certificate foreign =
                issue(FOREIGN_KEYS, NOW.minus(Duration.ofDays(720)), NOW.plus(Duration.ofDays(10)), SIGNING_USAGE);
        // The store even knows that serial and those bytes: the issuer's signature alone decides.
        return stored(foreign, PairStatus.ACTIVE, null, null);
    }

    private static Card wrongKeyUsage() {
        return stored(
                issue(
                        CA_KEYS,
                        NOW.minus(Duration.ofDays(720)),
                        NOW.plus(Duration.ofDays(10)),
                        KeyUsage.keyEncipherment),
                PairStatus.ACTIVE,
                null,
                null);
    }

    private static Card encryptionPresented() {
        Card card = inWindow();
        X509Certificate encryption = DerCertificates.parse(
                card.stored().orElseThrow().encryption().der().bytes());
        return new Card(encryption, card.stored());
    }

    private static Card notStored() {
        return new Card(inWindow().presented(), Optional.empty());
    }

    private static Card otherBytes() {
        Card card = inWindow();
        X509Certificate reissued = issue(
                CA_KEYS,
                NOW.minus(Duration.ofDays(719)),
                NOW.plus(Duration.ofDays(11)),
                SIGNING_USAGE,
                card.presented().getSerialNumber());
        return new Card(reissued, card.stored());
    }

    private static Card stored(
            X509Certificate signing, PairStatus pairStatus, Instant revokedAt, RenewalState renewal) {
        PairId pair = new PairId(SERIALS.incrementAndGet());
        X509Certificate encryption = issue(
                CA_KEYS,
                signing.getNotBefore().toInstant(),
                signing.getNotAfter().toInstant(),
                KeyUsage.keyEncipherment);
        Optional<Renewal> renewalRow = Optional.ofNullable(renewal)
                .map(state -> new Renewal(
                        RenewalId.random(),
                        pair,
                        state,
                        KeyHash.of(Keys.p256().getPublic()),
                        KeyHash.of(Keys.p256().getPublic()),
                        null,
                        null,
                        state == RenewalState.REQUESTED ? null : new PairId(pair.value() + 100_000),
                        NOW.minusSeconds(600),
                        state == RenewalState.REQUESTED ? null : NOW.minusSeconds(600),
                        null));
        return new Card(
                signing,
                Optional.of(new CurrentPair(
                        new CardPair(
                                pair,
                                new HolderId("A123456789"),
                                pairStatus,
                                NOW.minus(Duration.ofDays(720)),
                                null,
                                null),
                        row(pair, CertificateKind.SIGNING, signing, revokedAt),
                        row(pair, CertificateKind.ENCRYPTION, encryption, null),
                        renewalRow)));
    }

    private static StoredCertificate row(PairId pair, CertificateKind kind, X509Certificate c, Instant revokedAt) {
        return new StoredCertificate(
                new CertificateId(SERIALS.incrementAndGet()),
                pair,
                kind,
                c.getSerialNumber().toString(16),
                c.getSubjectX500Principal().getName(),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                KeyHash.of(c.getPublicKey()),
                Der.of(DerCertificates.der(c)),
                revokedAt);
    }

    private static X509Certificate issue(KeyPair issuer, Instant notBefore, Instant notAfter, int keyUsage) {
        return issue(issuer, notBefore, notAfter, keyUsage, BigInteger.valueOf(SERIALS.incrementAndGet()));
    }

    private static X509Certificate issue(
            KeyPair issuer, Instant notBefore, Instant notAfter, int keyUsage, BigInteger serial) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    ISSUER,
                                    serial,
                                    Date.from(notBefore),
                                    Date.from(notAfter),
                                    new X500Principal("CN=王小明,SERIALNUMBER=A123456789,C=TW"),
                                    CARD_KEYS.getPublic())
                            .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** This CA: whatever CA_KEYS signed under ISSUER; the store: the card's pair, found by any of its serials. */
    private static CardAuthenticator authenticator(Card card) {
        CertificateAuthority ca = new CertificateAuthority() {
            @Override
            public List<X509Certificate> chain() {
                return List.of();
            }

            @Override
            public IssuedCertificate issue(IssuanceRequest request) {
                throw new UnsupportedOperationException("authentication never issues");
            }

            @Override
            public boolean isIssuerOf(X509Certificate certificate) {
                try {
                    certificate.verify(CA_KEYS.getPublic());
                    return certificate.getIssuerX500Principal().equals(ISSUER);
                } catch (Exception e) {
                    return false;
                }
            }
        };
        CardPairs pairs = new CardPairs(null) {
            @Override
            public Optional<CurrentPair> ofCertificate(String hexSerial) {
                return card.stored()
                        .filter(p -> p.signing().serial().equals(hexSerial)
                                || p.encryption().serial().equals(hexSerial));
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        // The renewals here were issued 10 minutes ago: none is overdue, so nothing is closed (no store needed).
        UnconfirmedRenewals unconfirmed = new UnconfirmedRenewals(
                null,
                null,
                null,
                new RenewalProperties(
                        Duration.ofDays(30),
                        null,
                        Duration.ofMinutes(15),
                        null,
                        Duration.ofMinutes(15),
                        Duration.ofDays(7)),
                null,
                null,
                clock);
        return new CardAuthenticator(null, ca, pairs, new RenewalWindow(Duration.ofDays(30)), unconfirmed, clock);
    }
}
