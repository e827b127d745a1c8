package org.cardrenew.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.card.PendingKey;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.CertificateProfile;
import org.cardrenew.ca.IssuanceRequest;
import org.cardrenew.ca.PublicKeys;

/**
 * The card side of a renewal on a SoftHSM2 token, step by step, through the agent's card library
 * ({@link Card}): the same PKCS#11 calls the {@code cardrenew} CLI makes. Certificates come from a local CA
 * instance (the server's part is measured by the load generator), so only card work is timed.
 */
final class CardSteps {

    /** The card-side steps of one renewal, in order. */
    enum Step {
        OPEN_LOGIN("open session + PIN login"),
        SIGN_CHALLENGE("sign the status challenge (current key)"),
        GENERATE_SIGNING("generate signing key pair"),
        GENERATE_ENCRYPTION("generate encryption key pair"),
        CSR_SIGNING("signing CSR (card signature)"),
        CSR_ENCRYPTION("encryption CSR (card signature)"),
        WRITE("write both certificates"),
        VERIFY("verify both (sign + check)"),
        DELETE_OLD("delete the old keys and certificates");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    private static final X500Principal SUBJECT =
            new X500Principal("SERIALNUMBER=card-bench, CN=Bench Card Holder, O=CardRenew Bench Agency, C=TW");

    private CardSteps() {}

    /** Renews the card {@code rounds} times (after one untimed enrollment) and returns the steps' latencies. */
    static Map<Step, Latencies> measure(
            Path library, String tokenLabel, char[] pin, KeySpec spec, int rounds, CertificateAuthority ca)
            throws Exception {
        Map<Step, Latencies> steps = new EnumMap<>(Step.class);
        for (Step s : Step.values()) {
            steps.put(s, new Latencies());
        }
        try (Card card = Card.open(library, tokenLabel)) {
            card.login(pin.clone());
            clear(card);
            // Enrollment, untimed: the card starts each round with a working pair.
            Map<KeyPurpose, PendingKey> keys = new EnumMap<>(KeyPurpose.class);
            for (KeyPurpose p : KeyPurpose.values()) {
                keys.put(p, card.generate(p, spec));
            }
            for (KeyPurpose p : KeyPurpose.values()) {
                card.install(keys.get(p), issue(ca, keys.get(p).publicKey(), p));
            }
        }
        for (int round = 0; round < rounds; round++) {
            renewOnce(library, tokenLabel, pin, spec, ca, steps);
        }
        return steps;
    }

    private static void renewOnce(
            Path library,
            String tokenLabel,
            char[] pin,
            KeySpec spec,
            CertificateAuthority ca,
            Map<Step, Latencies> steps)
            throws Exception {
        long t = System.nanoTime();
        try (Card card = Card.open(library, tokenLabel)) {
            card.login(pin.clone());
            t = lap(steps, Step.OPEN_LOGIN, t);
            Map<KeyPurpose, CardEntry> old = current(card.read());
            t = System.nanoTime();
            card.sign(old.get(KeyPurpose.SIGNING), "CardRenew/v1 status\nbench-nonce".getBytes(StandardCharsets.UTF_8));
            t = lap(steps, Step.SIGN_CHALLENGE, t);
            PendingKey signing = card.generate(KeyPurpose.SIGNING, spec);
            t = lap(steps, Step.GENERATE_SIGNING, t);
            PendingKey encryption = card.generate(KeyPurpose.ENCRYPTION, spec);
            t = lap(steps, Step.GENERATE_ENCRYPTION, t);
            byte[] signingCsr = card.certificationRequest(signing, SUBJECT);
            t = lap(steps, Step.CSR_SIGNING, t);
            byte[] encryptionCsr = card.certificationRequest(encryption, SUBJECT);
            lap(steps, Step.CSR_ENCRYPTION, t);
            X509Certificate signingCertificate = issue(ca, keyOf(signingCsr), KeyPurpose.SIGNING);
            X509Certificate encryptionCertificate = issue(ca, keyOf(encryptionCsr), KeyPurpose.ENCRYPTION);
            t = System.nanoTime();
            CardEntry newSigning = card.install(signing, signingCertificate);
            CardEntry newEncryption = card.install(encryption, encryptionCertificate);
            t = lap(steps, Step.WRITE, t);
            card.verify(newSigning);
            card.verify(newEncryption);
            t = lap(steps, Step.VERIFY, t);
            card.delete(old.get(KeyPurpose.SIGNING).id());
            card.delete(old.get(KeyPurpose.ENCRYPTION).id());
            lap(steps, Step.DELETE_OLD, t);
        }
    }

    private static Map<KeyPurpose, CardEntry> current(CardContents contents) {
        Map<KeyPurpose, CardEntry> byPurpose = new LinkedHashMap<>();
        for (CardEntry e : contents.entries()) {
            if (e.hasPrivateKey()) {
                byPurpose.put(e.purpose(), e);
            }
        }
        if (byPurpose.size() != 2) {
            throw new IllegalStateException(
                    "the bench card should hold one signing and one encryption pair: " + byPurpose);
        }
        return byPurpose;
    }

    /** Leaves an empty token (earlier runs of the bench may have left objects). */
    private static void clear(Card card) throws Exception {
        CardContents contents = card.read();
        for (CardEntry e : contents.entries()) {
            card.delete(e.id());
        }
        for (PendingKey k : contents.pending()) {
            card.delete(k.id());
        }
    }

    private static X509Certificate issue(CertificateAuthority ca, PublicKey key, KeyPurpose purpose) throws Exception {
        Instant now = Instant.now();
        return ca.issue(new IssuanceRequest(
                        SUBJECT,
                        key,
                        purpose == KeyPurpose.SIGNING ? CertificateProfile.SIGNING : CertificateProfile.ENCRYPTION,
                        now,
                        now.plus(Duration.ofDays(365))))
                .certificate();
    }

    private static PublicKey keyOf(byte[] csrDer) throws Exception {
        return PublicKeys.of(new PKCS10CertificationRequest(csrDer).getSubjectPublicKeyInfo());
    }

    private static long lap(Map<Step, Latencies> steps, Step step, long since) {
        long now = System.nanoTime();
        steps.get(step).record(now - since);
        return now;
    }
}
