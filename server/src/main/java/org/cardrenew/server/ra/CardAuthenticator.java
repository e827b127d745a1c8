package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.StoredChallenge;
import org.springframework.stereotype.Component;

/**
 * The one card authentication of the RA, used by the status check, the console's card sign-in, CMP and EST. A card
 * proves possession of its signing key (a signature over a one-time challenge of the use's purpose, or the protocol's
 * own proof); then, for every use alike, its certificate must be:
 * <ol>
 *   <li>issued by this CA: signature and issuer name (RFC 5280 §6.1.3 (a)(1), (a)(4));</li>
 *   <li>the signing certificate of a card pair in the store, byte for byte (not its encryption certificate, not a
 *       re-encoding);</li>
 *   <li>for digital signatures: keyUsage with digitalSignature (RFC 5280 §4.2.1.3);</li>
 *   <li>not before its notBefore at the clock (RFC 5280 §4.1.2.5);</li>
 * </ol>
 * and its standing at the clock ({@link RenewalWindow}: revoked, superseded, expired, ...) must be one the use
 * accepts ({@link CardUse}). Every refusal is a {@link CardRefusal} with a stable code; callers audit it.
 */
@Component
public class CardAuthenticator {

    private final ChallengeService challenges;
    private final CertificateAuthority ca;
    private final CardPairs pairs;
    private final RenewalWindow window;
    private final UnconfirmedRenewals unconfirmed;
    private final Clock clock;

    public CardAuthenticator(
            ChallengeService challenges,
            CertificateAuthority ca,
            CardPairs pairs,
            RenewalWindow window,
            UnconfirmedRenewals unconfirmed,
            Clock clock) {
        this.challenges = challenges;
        this.unconfirmed = unconfirmed;
        this.ca = ca;
        this.pairs = pairs;
        this.window = window;
        this.clock = clock;
    }

    /**
     * A card that signed a one-time challenge of the use's purpose. The challenge is used up whatever follows, within
     * the caller's transaction if there is one.
     */
    public AuthenticatedCard bySignedChallenge(SignedChallenge proof, CardUse use) {
        return bySignedChallenge(proof, use, null);
    }

    /**
     * {@link #bySignedChallenge(SignedChallenge, CardUse)} whose record of the challenge's use also stores {@code token}
     * (null: none) when the signature proves possession of the presented certificate's key: the renewal token a status
     * check hands out if, after the checks below, the card's standing allows a renewal (issue 14: no write of its
     * own). A proof whose signature fails spends the challenge and stores no token.
     *
     * <p>Called in a transaction of the server's transaction manager (as the status check is), the use is written
     * with that transaction's COMMIT (ChallengeRepository.recordUse): a replay is then refused by the commit, which
     * fails with a DuplicateKeyException that the caller answers as CHALLENGE_USED ({@code StatusService}); called
     * outside one (the console's sign-in), a replay is refused here.
     */
    public AuthenticatedCard bySignedChallenge(SignedChallenge proof, CardUse use, RenewalTokens.Pending token) {
        if (use.challenge() == null) {
            throw new IllegalArgumentException(use + " is authenticated by its protocol, not by a challenge");
        }
        if (proof == null || !proof.complete()) {
            throw new CardRefusal(
                    ErrorCode.REQUEST_INVALID,
                    null,
                    false,
                    "challengeId, certificate, signature and signatureAlgorithm are required");
        }
        ChallengeService.Usable challenge;
        try {
            // An unknown or expired challenge is refused without a write.
            challenge = challenges.usable(proof.challengeId(), use.challenge());
        } catch (RaException e) {
            throw new CardRefusal(e.code(), null, false, e.getMessage());
        }
        X509Certificate certificate;
        try {
            certificate = DerCertificates.parseBase64(proof.certificate());
        } catch (RaException malformed) {
            recordUse(challenge, null);
            throw new CardRefusal(malformed.code(), null, false, malformed.getMessage());
        }
        String serial = DerCertificates.serialHex(certificate);
        RaException badSignature = null;
        try {
            CardSignature.verify(
                    certificate.getPublicKey(),
                    proof.signatureAlgorithm(),
                    use.signedPayload(challenge.nonce()),
                    proof.signature(),
                    ErrorCode.SIGNATURE_INVALID);
        } catch (RaException e) {
            badSignature = e;
        }
        // Spent whatever the signature showed, so it cannot be probed twice; a replay is refused here either way.
        recordUse(challenge, badSignature == null && token != null ? token.boundTo(serial) : null);
        if (badSignature != null) {
            throw new CardRefusal(badSignature.code(), serial, false, badSignature.getMessage());
        }
        return check(certificate, serial, use);
    }

    private void recordUse(ChallengeService.Usable challenge, StoredChallenge.RenewalTokenHash token) {
        try {
            challenges.recordUse(challenge, token);
        } catch (RaException used) {
            throw new CardRefusal(used.code(), null, false, used.getMessage());
        }
    }

    /**
     * A card whose possession of the key its protocol proved: the TLS client certificate of an EST request, the
     * protection certificate of a CMP message whose signature the caller verified.
     */
    public AuthenticatedCard byProtocol(X509Certificate certificate, CardUse use) {
        if (certificate == null) {
            throw new CardRefusal(ErrorCode.CERTIFICATE_UNKNOWN, null, false, "no certificate");
        }
        return check(certificate, DerCertificates.serialHex(certificate), use);
    }

    private AuthenticatedCard check(X509Certificate certificate, String serial, CardUse use) {
        Optional<CurrentPair> pair = ca.isIssuerOf(certificate) ? pairs.ofCertificate(serial) : Optional.empty();
        if (pair.isEmpty()
                || !pair.get().signing().serial().equals(serial)
                || !pair.get().signing().der().equals(Der.of(DerCertificates.der(certificate)))) {
            throw new CardRefusal(
                    ErrorCode.CERTIFICATE_UNKNOWN,
                    serial,
                    true,
                    "not the signing certificate of a card pair this CA issued");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage == null || !keyUsage[0]) {
            throw new CardRefusal(
                    ErrorCode.CERTIFICATE_UNKNOWN,
                    serial,
                    true,
                    "the certificate's key usage does not allow digital signatures");
        }
        Instant now = clock.instant();
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new CardRefusal(
                    ErrorCode.CERTIFICATE_NOT_YET_VALID,
                    serial,
                    true,
                    "certificate " + serial + " is valid from "
                            + certificate.getNotBefore().toInstant());
        }
        if (use.currentValidityRequired()
                && now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new CardRefusal(
                    ErrorCode.CERTIFICATE_EXPIRED,
                    serial,
                    true,
                    "certificate " + serial + " expired at "
                            + certificate.getNotAfter().toInstant());
        }
        CurrentPair current = pair.get();
        if (current.renewal().isPresent()
                && unconfirmed.closeIfOverdue(current.renewal().get())) {
            // Issue 12: not confirmed in time, closed now; the standing is the old pair's own (a fresh renewal may
            // start).
            current = pairs.load(current.pair().id());
        }
        CertificateStatus standing = window.statusOf(current.facts(), now);
        if (!use.accepts(standing)) {
            throw new CardRefusal(
                    RenewalWindow.refusalFor(standing),
                    serial,
                    true,
                    "certificate " + serial + " is " + standing + ", not accepted for " + use);
        }
        return new AuthenticatedCard(certificate, current, standing);
    }
}
