package org.cardrenew.agent.renewal;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.CardSignature;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.ObjectId;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;

/**
 * The holder's renewal, card and RA together; resumable from any interruption. The card is never left
 * without a working pair: old objects are deleted only after the new ones are written, verified and
 * confirmed. What the card holds decides where a run picks up (see {@link CardContents}):
 * <ul>
 *   <li>pending keys and RENEWABLE: the keys are reused for the CSRs, never generated again;</li>
 *   <li>pending keys and RENEWAL_IN_PROGRESS: the issued certificates are fetched again (GET with the
 *       renewal token), or, if nothing was issued yet, the CSRs of the same keys are sent again;</li>
 *   <li>both generations and RENEWAL_IN_PROGRESS: verify the new, confirm, delete the old;</li>
 *   <li>both generations and ALREADY_RENEWED: verify the new, delete the old;</li>
 *   <li>pending keys (or new certificates) of a renewal the server closed unconfirmed (RENEWAL_EXPIRED): discard
 *       them and renew afresh from the old pair.</li>
 * </ul>
 * "Delete the old" keeps the old encryption key and certificate as decryption history (up to the holder's
 * {@link DecryptionHistory}); history is never a generation, so it never changes where a run picks up.
 */
public final class RenewalFlow extends CardFlow {

    private final DecryptionHistory history;

    /** A flow that keeps every old encryption key as decryption history. */
    public RenewalFlow(RaClient ra, RenewalListener listener) {
        this(ra, listener, DecryptionHistory.ALL);
    }

    public RenewalFlow(RaClient ra, RenewalListener listener, DecryptionHistory history) {
        super(ra, listener);
        this.history = history;
    }

    /** The RA's challenge, login, read the card, and the RA's status for the current signing certificate. Changes nothing. */
    public StatusResponse status(Card card, PinSource pins)
            throws CardException, RaRefusedException, IOException, RenewalException {
        ChallengeResponse challenge = challenge();
        login(card, pins);
        CardContents contents = step(RenewalStep.READ_CARD, card::read);
        StatusResponse status = authenticate(card, current(contents), challenge);
        step(RenewalStep.DONE, () -> null);
        return status;
    }

    /**
     * Renews both certificates, or completes an interrupted renewal.
     *
     * @param keySpec the type of the new keys; null keeps each current key's type
     */
    public RenewalOutcome renew(Card card, PinSource pins, KeySpec keySpec)
            throws CardException, RaRefusedException, IOException, RenewalException {
        ChallengeResponse challenge = challenge();
        login(card, pins);
        CardContents contents = step(RenewalStep.READ_CARD, card::read);
        CardEntry current = current(contents);
        StatusResponse status = authenticate(card, current, challenge);
        switch (status.status()) {
            case RENEWABLE:
                // The server names the card's last renewal when it closed it unconfirmed (issue 12).
                boolean closed = status.renewalState() == RenewalState.EXPIRED_UNCONFIRMED;
                if (contents.hasNewGeneration(KeyPurpose.SIGNING) || contents.hasNewGeneration(KeyPurpose.ENCRYPTION)) {
                    // Certificates issued to this card by a renewal the server no longer holds open: it was closed
                    // unconfirmed and they are revoked. Never kept (not even as decryption history).
                    discardUnconfirmed(card, current);
                    contents = step(RenewalStep.READ_CARD, card::read);
                    closed = true;
                }
                RenewalOutcome outcome;
                try {
                    outcome = renewNow(card, pins, contents, status, keySpec);
                } catch (RaRefusedException refused) {
                    if (!ErrorCode.RENEWAL_EXPIRED.name().equals(refused.code())) {
                        throw refused;
                    }
                    // The keys on the card belong to a renewal the server closed unconfirmed (its certificates are
                    // revoked): discard them and start afresh from the old pair, once.
                    discardUnconfirmed(card, current);
                    outcome = renewNow(card, pins, step(RenewalStep.READ_CARD, card::read), status, keySpec);
                    closed = true;
                }
                return closed ? outcome.afterClosedRenewal() : outcome;
            case RENEWAL_IN_PROGRESS:
                return resume(card, pins, contents, status);
            case ALREADY_RENEWED:
                if (contents.hasNewGeneration(KeyPurpose.SIGNING) || contents.hasNewGeneration(KeyPurpose.ENCRYPTION)) {
                    return cleanUp(card, contents, status);
                }
                return RenewalOutcome.notRenewable(status);
            default:
                return RenewalOutcome.notRenewable(status);
        }
    }

    private RenewalOutcome renewNow(
            Card card, PinSource pins, CardContents contents, StatusResponse status, KeySpec keySpec)
            throws CardException, RaRefusedException, IOException, RenewalException {
        Map<KeyPurpose, KeySpec> specs = new EnumMap<>(KeyPurpose.class);
        Map<KeyPurpose, X500Principal> subjects = new EnumMap<>(KeyPurpose.class);
        CardEntry signing = current(contents);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            CardEntry old = contents.oldest(purpose).orElse(signing);
            specs.put(
                    purpose,
                    keySpec != null ? keySpec : KeySpec.of(old.publicKey()).orElse(KeySpec.RSA_2048));
            // RFC 7030 §4.2.2: the re-enrollment request carries the current certificate's subject unchanged.
            subjects.put(purpose, old.certificate().getSubjectX500Principal());
        }
        Map<KeyPurpose, PendingKey> keys = step(RenewalStep.GENERATE_KEYS, () -> pendingKeys(card, contents, specs));
        Map<KeyPurpose, String> csrs = step(RenewalStep.CREATE_CSRS, () -> csrs(card, keys, subjects));
        RenewalResponse issued = step(
                RenewalStep.SEND_TO_CA,
                () -> ra.renew(new RenewalRequest(
                        status.renewalToken(), csrs.get(KeyPurpose.SIGNING), csrs.get(KeyPurpose.ENCRYPTION))));
        return install(card, pins, issued, status, false);
    }

    private RenewalOutcome resume(Card card, PinSource pins, CardContents contents, StatusResponse status)
            throws CardException, RaRefusedException, IOException, RenewalException {
        String id = status.renewalId();
        if (contents.hasNewGeneration(KeyPurpose.SIGNING) && contents.hasNewGeneration(KeyPurpose.ENCRYPTION)) {
            Map<KeyPurpose, CardEntry> written = new EnumMap<>(KeyPurpose.class);
            for (KeyPurpose purpose : KeyPurpose.values()) {
                written.put(purpose, contents.newest(purpose).orElseThrow());
            }
            return finish(card, written, id, status, null, true);
        }
        RenewalResponse renewal = step(RenewalStep.SEND_TO_CA, () -> ra.renewal(id, status.renewalToken()));
        if (renewal.signingCertificate() == null) {
            // Nothing issued yet: the same keys' CSRs again; the RA recognises them by their public keys.
            Map<KeyPurpose, PendingKey> keys = existingPendingKeys(contents);
            Map<KeyPurpose, X500Principal> subjects = new EnumMap<>(KeyPurpose.class);
            for (KeyPurpose purpose : KeyPurpose.values()) {
                subjects.put(
                        purpose,
                        contents.oldest(purpose)
                                .orElse(current(contents))
                                .certificate()
                                .getSubjectX500Principal());
            }
            Map<KeyPurpose, String> csrs = step(RenewalStep.CREATE_CSRS, () -> csrs(card, keys, subjects));
            renewal = step(
                    RenewalStep.SEND_TO_CA,
                    () -> ra.renew(new RenewalRequest(
                            status.renewalToken(), csrs.get(KeyPurpose.SIGNING), csrs.get(KeyPurpose.ENCRYPTION))));
        }
        return install(card, pins, renewal, status, true);
    }

    private RenewalOutcome install(
            Card card, PinSource pins, RenewalResponse issued, StatusResponse status, boolean resumed)
            throws CardException, RaRefusedException, IOException, RenewalException {
        Map<KeyPurpose, CardEntry> written =
                write(card, pins, pair(issued.signingCertificate(), issued.encryptionCertificate()));
        return finish(card, written, issued.renewalId(), status, issued.previousNotAfter(), resumed);
    }

    private RenewalOutcome finish(
            Card card,
            Map<KeyPurpose, CardEntry> written,
            String renewalId,
            StatusResponse status,
            java.time.Instant previousNotAfter,
            boolean resumed)
            throws CardException, RaRefusedException, IOException, RenewalException {
        verify(card, written);
        ConfirmationResponse confirmed = step(RenewalStep.CONFIRM, () -> {
            CardSignature signature =
                    card.sign(written.get(KeyPurpose.SIGNING), SignedPayloads.confirmation(renewalId));
            return ra.confirm(
                    renewalId,
                    new ConfirmationRequest(
                            Base64.getEncoder().encodeToString(signature.value()), signature.algorithm()));
        });
        deleteOld(card, written);
        step(RenewalStep.DONE, () -> null);
        return new RenewalOutcome(
                RenewalOutcome.Result.RENEWED,
                status,
                renewalId,
                written.get(KeyPurpose.SIGNING).certificate(),
                written.get(KeyPurpose.ENCRYPTION).certificate(),
                previousNotAfter != null ? previousNotAfter : confirmed.previousNotAfter(),
                resumed);
    }

    /** The RA completed the renewal earlier; only the old objects are left to remove. */
    private RenewalOutcome cleanUp(Card card, CardContents contents, StatusResponse status)
            throws CardException, RaRefusedException, IOException, RenewalException {
        Map<KeyPurpose, CardEntry> newest = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            contents.newest(purpose).ifPresent(e -> newest.put(purpose, e));
        }
        verify(card, newest);
        deleteOld(card, newest);
        step(RenewalStep.DONE, () -> null);
        CardEntry signing = newest.get(KeyPurpose.SIGNING);
        CardEntry encryption = newest.get(KeyPurpose.ENCRYPTION);
        return new RenewalOutcome(
                RenewalOutcome.Result.RENEWED,
                status,
                status.renewalId(),
                signing == null ? null : signing.certificate(),
                encryption == null ? null : encryption.certificate(),
                status.notAfter(),
                true);
    }

    /**
     * Removes what a renewal closed unconfirmed left on the card: its pending keys and the certificates (with their
     * keys) issued after the current signing certificate. Older entries (the current pair, any history) stay.
     */
    private void discardUnconfirmed(Card card, CardEntry current)
            throws CardException, RaRefusedException, IOException, RenewalException {
        step(RenewalStep.DELETE_OLD, () -> {
            CardContents now = card.read();
            for (CardEntry entry : now.entries()) {
                if (entry.certificate()
                        .getNotBefore()
                        .after(current.certificate().getNotBefore())) {
                    card.delete(entry.id());
                }
            }
            for (PendingKey unused : now.pending()) {
                card.delete(unused.id());
            }
            return null;
        });
    }

    /**
     * Removes everything but the kept entries: older signing generations, stray public keys, unused pending
     * keys. An older encryption generation with its key becomes decryption history instead (before the old
     * signing key goes, so a run interrupted here is cleaned up again); then the history is trimmed to the
     * holder's limit, oldest first.
     */
    private void deleteOld(Card card, Map<KeyPurpose, CardEntry> keep)
            throws CardException, RaRefusedException, IOException, RenewalException {
        step(RenewalStep.DELETE_OLD, () -> {
            CardContents now = card.read();
            for (KeyPurpose purpose : deletionOrder()) {
                for (CardEntry entry : now.entries()) {
                    if (entry.purpose() != purpose || keep.containsValue(entry)) {
                        continue;
                    }
                    if (purpose == KeyPurpose.ENCRYPTION && entry.hasPrivateKey() && history.keepsAny()) {
                        card.keepAsHistory(entry.id());
                    } else {
                        card.delete(entry.id());
                    }
                }
            }
            List<CardEntry> kept = card.read().history();
            for (CardEntry old : kept.subList(0, Math.max(0, kept.size() - history.keep()))) {
                card.delete(old.id());
                listener.decryptionKeyRemoved(old.certificate());
            }
            for (PendingKey unused : now.pending()) {
                card.delete(unused.id());
            }
            for (ObjectId stray : now.strayPublicKeys()) {
                card.deletePublicKeys(stray);
            }
            return null;
        });
    }

    /**
     * The RA's one-time challenge, fetched first: a server that cannot be reached or whose TLS certificate is not
     * trusted ends the run before the PIN is used or the card touched.
     */
    private ChallengeResponse challenge() throws CardException, RaRefusedException, IOException, RenewalException {
        return step(RenewalStep.CHALLENGE, ra::challenge);
    }

    private StatusResponse authenticate(Card card, CardEntry signing, ChallengeResponse challenge)
            throws CardException, RaRefusedException, IOException, RenewalException {
        StatusResponse status = step(RenewalStep.STATUS, () -> {
            CardSignature signature = card.sign(signing, SignedPayloads.status(challenge.nonce()));
            return ra.status(new StatusRequest(
                    challenge.challengeId(),
                    base64(signing.certificate()),
                    Base64.getEncoder().encodeToString(signature.value()),
                    signature.algorithm()));
        });
        listener.statusReceived(status);
        return status;
    }

    /** The certificate the RA knows: the oldest signing certificate with its key. */
    private static CardEntry current(CardContents contents) throws RenewalException {
        return contents.oldest(KeyPurpose.SIGNING)
                .orElseThrow(() -> new RenewalException(
                        RenewalException.Reason.NO_CERTIFICATE, "the card holds no signing certificate with its key"));
    }

    private static String base64(X509Certificate certificate) throws RenewalException {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new RenewalException(
                    RenewalException.Reason.NO_CERTIFICATE, "the card's certificate cannot be encoded");
        }
    }
}
