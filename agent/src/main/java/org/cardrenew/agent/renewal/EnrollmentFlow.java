package org.cardrenew.agent.renewal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.CardException;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;

/**
 * Admin enrollment of a new card: two key pairs generated on the card, their CSRs to
 * POST /api/v1/admin/enrollments, both certificates written and verified. Pending keys of an interrupted
 * enrollment are reused; a card that already holds holder certificates is refused.
 */
public final class EnrollmentFlow extends CardFlow {

    public EnrollmentFlow(RaClient ra, RenewalListener listener) {
        super(ra, listener);
    }

    /** The enrolled pair as written to the card, with the RA's answer. */
    public record Enrolled(
            EnrollmentResponse response, X509Certificate signingCertificate, X509Certificate encryptionCertificate) {}

    public Enrolled enroll(Card card, PinSource pins, Enrollment holder, String adminToken, KeySpec keySpec)
            throws CardException, RaRefusedException, IOException, RenewalException {
        // The server is reached (and its TLS certificate trusted) before the PIN is used or a key generated.
        step(RenewalStep.CONNECT, ra::caCertificates);
        login(card, pins);
        CardContents contents = step(RenewalStep.READ_CARD, () -> {
            CardContents read = card.read();
            if (!read.entries().isEmpty()) {
                throw new RenewalException(
                        RenewalException.Reason.CARD_NOT_EMPTY,
                        "the card already holds certificates: enroll a new card, or renew this one");
            }
            return read;
        });
        Map<KeyPurpose, KeySpec> specs = new EnumMap<>(KeyPurpose.class);
        Map<KeyPurpose, X500Principal> subjects = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            specs.put(purpose, keySpec);
            subjects.put(purpose, holder.subject());
        }
        Map<KeyPurpose, PendingKey> keys = step(RenewalStep.GENERATE_KEYS, () -> pendingKeys(card, contents, specs));
        Map<KeyPurpose, String> csrs = step(RenewalStep.CREATE_CSRS, () -> csrs(card, keys, subjects));
        EnrollmentResponse response = step(
                RenewalStep.SEND_TO_CA,
                () -> ra.enroll(
                        new EnrollmentRequest(
                                holder.holderId(),
                                holder.name(),
                                holder.organization(),
                                holder.email(),
                                holder.language(),
                                csrs.get(KeyPurpose.SIGNING),
                                csrs.get(KeyPurpose.ENCRYPTION),
                                holder.notBefore(),
                                holder.notAfter()),
                        adminToken));
        Map<KeyPurpose, CardEntry> written =
                write(card, pins, pair(response.signingCertificate(), response.encryptionCertificate()));
        verify(card, written);
        step(RenewalStep.DONE, () -> null);
        return new Enrolled(
                response,
                written.get(KeyPurpose.SIGNING).certificate(),
                written.get(KeyPurpose.ENCRYPTION).certificate());
    }
}
