package org.cardrenew.agent.renewal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;

/** What renewal and enrollment share: reported steps, key generation or reuse, CSRs and the card write. */
abstract class CardFlow {

    /** A step's work; may fail with any of the flow's outcomes. */
    interface StepWork<T> {
        T run() throws CardException, RaRefusedException, IOException, RenewalException;
    }

    final RaClient ra;
    final RenewalListener listener;

    CardFlow(RaClient ra, RenewalListener listener) {
        this.ra = ra;
        this.listener = listener;
    }

    final <T> T step(RenewalStep step, StepWork<T> work)
            throws CardException, RaRefusedException, IOException, RenewalException {
        listener.stepStarted(step);
        T result = work.run();
        listener.stepFinished(step);
        return result;
    }

    final void login(Card card, PinSource pins)
            throws CardException, RaRefusedException, IOException, RenewalException {
        step(RenewalStep.LOGIN, () -> {
            card.login(pins.pin(PinPurpose.LOGIN));
            return null;
        });
    }

    /**
     * The pending key of each purpose, generated only where the card has none of the wanted type:
     * a key the RA may already have seen is never replaced by a new one.
     */
    static Map<KeyPurpose, PendingKey> pendingKeys(Card card, CardContents contents, Map<KeyPurpose, KeySpec> specs)
            throws CardException {
        Map<KeyPurpose, PendingKey> keys = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            Optional<PendingKey> existing = contents.pending(purpose);
            if (existing.isPresent()
                    && existing.get().publicKey() != null
                    && KeySpec.of(existing.get().publicKey()).equals(Optional.of(specs.get(purpose)))) {
                keys.put(purpose, existing.get());
                continue;
            }
            for (PendingKey stale : contents.pending()) {
                if (stale.purpose() == purpose) {
                    card.delete(stale.id());
                }
            }
            keys.put(purpose, card.generate(purpose, specs.get(purpose)));
        }
        return keys;
    }

    /** Both pending keys as they are, for a resume: never generated again. */
    static Map<KeyPurpose, PendingKey> existingPendingKeys(CardContents contents) throws RenewalException {
        Map<KeyPurpose, PendingKey> keys = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            PendingKey key = contents.pending(purpose)
                    .filter(k -> k.publicKey() != null)
                    .orElseThrow(() -> new RenewalException(
                            RenewalException.Reason.CANNOT_RESUME,
                            "the card holds no " + purpose.name().toLowerCase() + " key of the renewal in progress"));
            keys.put(purpose, key);
        }
        return keys;
    }

    static Map<KeyPurpose, String> csrs(
            Card card, Map<KeyPurpose, PendingKey> keys, Map<KeyPurpose, X500Principal> subjects) throws CardException {
        Map<KeyPurpose, String> csrs = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            csrs.put(
                    purpose,
                    Base64.getEncoder()
                            .encodeToString(card.certificationRequest(keys.get(purpose), subjects.get(purpose))));
        }
        return csrs;
    }

    /**
     * Writes each certificate onto the pending key it certifies (matched by public key), signing first.
     * A certificate already on the card is skipped, so an interrupted write is simply run again. When
     * anything is to be written, the holder confirms with the PIN first (if the PIN source asks for it).
     */
    final Map<KeyPurpose, CardEntry> write(Card card, PinSource pins, Map<KeyPurpose, X509Certificate> certificates)
            throws CardException, RaRefusedException, IOException, RenewalException {
        return step(RenewalStep.WRITE_TO_CARD, () -> {
            CardContents now = card.read();
            if (certificates.values().stream().anyMatch(c -> entryOf(now, c).isEmpty())) {
                char[] again = pins.pin(PinPurpose.CONFIRM_WRITE);
                if (again != null) {
                    card.reauthenticate(again);
                }
            }
            Map<KeyPurpose, CardEntry> written = new EnumMap<>(KeyPurpose.class);
            for (KeyPurpose purpose : KeyPurpose.values()) {
                X509Certificate cert = certificates.get(purpose);
                Optional<CardEntry> present = entryOf(now, cert);
                if (present.isPresent()) {
                    written.put(purpose, present.get());
                    continue;
                }
                PendingKey key = now.pending().stream()
                        .filter(k -> k.publicKey() != null
                                && Arrays.equals(
                                        k.publicKey().getEncoded(),
                                        cert.getPublicKey().getEncoded()))
                        .findFirst()
                        .orElseThrow(() -> new RenewalException(
                                RenewalException.Reason.CERTIFICATE_MISMATCH,
                                "the issued " + purpose.name().toLowerCase()
                                        + " certificate is not for a key on this card"));
                written.put(purpose, card.install(key, cert));
                listener.certificateWritten(purpose, cert);
            }
            return written;
        });
    }

    final void verify(Card card, Map<KeyPurpose, CardEntry> entries)
            throws CardException, RaRefusedException, IOException, RenewalException {
        step(RenewalStep.VERIFY, () -> {
            for (CardEntry entry : entries.values()) {
                card.verify(entry);
            }
            return null;
        });
    }

    static Optional<CardEntry> entryOf(CardContents contents, X509Certificate certificate) {
        return contents.entries().stream()
                .filter(e -> e.hasPrivateKey() && e.certificate().equals(certificate))
                .findFirst();
    }

    /** A base64 DER certificate from the RA (PEM tolerated). */
    static X509Certificate certificate(String encoded, String what) throws RenewalException {
        if (encoded == null) {
            throw new RenewalException(RenewalException.Reason.BAD_ANSWER, "the server sent no " + what);
        }
        try {
            String base64 = encoded.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(base64);
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new RenewalException(
                    RenewalException.Reason.BAD_ANSWER, "the server's " + what + " is not a certificate");
        }
    }

    static Map<KeyPurpose, X509Certificate> pair(String signing, String encryption) throws RenewalException {
        Map<KeyPurpose, X509Certificate> pair = new EnumMap<>(KeyPurpose.class);
        pair.put(KeyPurpose.SIGNING, certificate(signing, "signing certificate"));
        pair.put(KeyPurpose.ENCRYPTION, certificate(encryption, "encryption certificate"));
        return pair;
    }

    static List<KeyPurpose> deletionOrder() {
        // The signing pair authenticates a resumed run: it goes last.
        return List.of(KeyPurpose.ENCRYPTION, KeyPurpose.SIGNING);
    }
}
