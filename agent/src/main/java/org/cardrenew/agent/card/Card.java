package org.cardrenew.agent.card;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * One smart card as the flows use it: login, read, sign, generate, write, delete. {@link #open} reaches a real
 * card through its PKCS#11 library ({@link Pkcs11Card}); tests wrap one to provoke what a SoftHSM2 token never
 * does (a full card).
 */
public interface Card extends AutoCloseable {

    /** What {@link #verify} signs: fixed, so the bridge never signs caller-chosen data with it. */
    byte[] VERIFY_PAYLOAD = "CardRenew/v1 verify installed key".getBytes(StandardCharsets.US_ASCII);

    /** Loads the PKCS#11 library (once per JVM and path) and opens a session on the token with this label. */
    static Card open(Path library, String tokenLabel) throws CardException {
        return Pkcs11Card.open(library, tokenLabel);
    }

    /** The labels of the tokens present in the library's slots (empty when no card is inserted). */
    static List<String> labels(Path library) throws CardException {
        return Pkcs11Card.labels(library);
    }

    String label();

    /** The user-PIN flags now (count low, final try, locked), read without logging in. */
    PinStatus pinStatus() throws CardException;

    /**
     * Logs the user in. The PIN array is zeroed before returning. A failure is never retried: a wrong PIN
     * counts against the card's retry counter.
     */
    void login(char[] pin) throws CardException;

    /** Checks the PIN again (the holder's confirmation before writing): logs out and in. Zeroes the PIN. */
    void reauthenticate(char[] pin) throws CardException;

    /** Lists holder certificates, decryption history, pending keys and leftovers of an interrupted install. */
    CardContents read() throws CardException;

    /** Signs with a card key using {@link org.cardrenew.protocol.SignatureAlgorithms#forKey} of its public key. */
    CardSignature sign(CardKey key, byte[] data) throws CardException;

    /**
     * Generates a key pair ON the card: the private key a sensitive, non-extractable token object with exactly
     * the usages of {@link KeyUsage}; the public key a token object of the same fresh id, kept only until the
     * certificate is installed.
     *
     * @throws KeyUsageIgnoredException the card did not set the usages asked for (the new pair is deleted)
     * @throws CardFullException        the card has no room (nothing was left behind by this call)
     */
    PendingKey generate(KeyPurpose purpose, KeySpec spec) throws CardException;

    /** A PKCS#10 request (DER) signed by the card key, carrying exactly this subject (RFC 7030 §4.2.2). */
    default byte[] certificationRequest(CardKey key, X500Principal subject) throws CardException {
        return CertificationRequests.build(this, key, subject);
    }

    /**
     * Writes the certificate under its pending key's id, binding the two, then drops the pending public
     * key object. Refuses a certificate for another key. Writing is one C_CreateObject: either the key has
     * its certificate or it is still pending.
     */
    CardEntry install(PendingKey key, java.security.cert.X509Certificate certificate) throws CardException;

    /** Proves an installed entry works: the card key signs, the certificate's public key verifies. */
    default void verify(CardEntry entry) throws CardException {
        CardSignature signature = sign(entry, VERIFY_PAYLOAD);
        try {
            Signature v = Signature.getInstance(signature.algorithm());
            v.initVerify(entry.certificate().getPublicKey());
            v.update(VERIFY_PAYLOAD);
            if (!v.verify(signature.value())) {
                throw new CardFailureException("the key " + entry.id() + " does not match its certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new CardFailureException("cannot verify " + entry.id() + ": " + e.getMessage(), -1, e);
        }
    }

    /**
     * Keeps a superseded encryption key and its certificate as decryption history: relabels both (CKA_LABEL
     * {@code hist-<id>}, the certificate last, its label being the mark {@link #read} goes by); the CKA_ID,
     * which binds them for every PKCS#11 client, stays. Idempotent, so an interrupted run simply marks again.
     */
    void keepAsHistory(ObjectId id) throws CardException;

    /**
     * Deletes everything with this id: private key first, then public key, certificate last, so an
     * interruption never leaves a key that looks pending (a private key without a certificate).
     */
    void delete(ObjectId id) throws CardException;

    /** Deletes the public key objects with this id (left when an install was interrupted). */
    void deletePublicKeys(ObjectId id) throws CardException;

    /** Logs out and closes the session. */
    @Override
    void close();
}
