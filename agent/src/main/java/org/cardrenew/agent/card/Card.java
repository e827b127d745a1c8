package org.cardrenew.agent.card;

import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CERTIFICATE_TYPE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CLASS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_OS_LOCKING_OK;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_RW_SESSION;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_SERIAL_SESSION;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_TOKEN_INITIALIZED;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKO_CERTIFICATE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKU_USER;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * One PKCS#11 token, found by its label, driven through the JDK's PKCS#11 wrapper. The wrapper (not the
 * SunPKCS11 KeyStore) gives exact control over CKA_ID, templates and object order, which the resumable
 * renewal depends on: a key is marked with its id atomically at generation, and the KeyStore would hide
 * private keys without certificates. Not thread-safe across instances of the same token (PKCS#11 login is
 * per application); each method is synchronized.
 */
public final class Card implements AutoCloseable {

    private static final byte[] VERIFY_PAYLOAD = "CardRenew/v1 verify installed key".getBytes(StandardCharsets.US_ASCII);

    private final PKCS11 p11;
    private final long slot;
    private final String label;
    private final long session;
    private final TokenObjects objects;
    private boolean open;

    private Card(PKCS11 p11, long slot, String label, long session) {
        this.p11 = p11;
        this.slot = slot;
        this.label = label;
        this.session = session;
        this.objects = new TokenObjects(p11, session);
        this.open = true;
    }

    /** Loads the PKCS#11 library (once per JVM and path) and opens a session on the token with this label. */
    public static Card open(Path library, String tokenLabel) throws CardException {
        PKCS11 p11 = load(library);
        try {
            long[] present = p11.C_GetSlotList(true);
            List<String> labels = new ArrayList<>();
            for (long s : present) {
                String l = new String(p11.C_GetTokenInfo(s).label).trim();
                if (l.equals(tokenLabel)) {
                    long session = p11.C_OpenSession(s, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
                    return new Card(p11, s, l, session);
                }
                labels.add(l);
            }
            if (present.length == 0) {
                throw new NoTokenException(NoTokenException.Reason.NO_CARD, "no card is present", null);
            }
            throw new NoTokenException(NoTokenException.Reason.NO_SUCH_TOKEN,
                    "no card labelled '" + tokenLabel + "' (present: " + labels + ")", null);
        } catch (PKCS11Exception e) {
            throw failure("cannot open the card", e);
        }
    }

    /** The labels of the tokens present in the library's slots (empty when no card is inserted). */
    public static List<String> labels(Path library) throws CardException {
        PKCS11 p11 = load(library);
        try {
            List<String> labels = new ArrayList<>();
            for (long s : p11.C_GetSlotList(true)) {
                CK_TOKEN_INFO info = p11.C_GetTokenInfo(s);
                // CKF_TOKEN_INITIALIZED: an uninitialised slot (SoftHSM2's spare one) is no card.
                if ((info.flags & CKF_TOKEN_INITIALIZED) != 0) {
                    labels.add(new String(info.label).trim());
                }
            }
            return labels;
        } catch (PKCS11Exception e) {
            throw failure("cannot list the cards", e);
        }
    }

    private static PKCS11 load(Path library) throws CardException {
        // A bare file name is left to the system loader's search path.
        if (library.isAbsolute() && !Files.isRegularFile(library)) {
            throw new NoTokenException(NoTokenException.Reason.LIBRARY_MISSING, "no PKCS#11 library at " + library, null);
        }
        try {
            CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
            args.flags = CKF_OS_LOCKING_OK;
            // The same path string as SunPKCS11 would use: the wrapper caches one instance per path.
            return PKCS11.getInstance(library.toString(), "C_GetFunctionList", args, false);
        } catch (IOException e) {
            throw new NoTokenException(NoTokenException.Reason.LIBRARY_MISSING,
                    "cannot load PKCS#11 library " + library + ": " + e.getMessage(), e);
        } catch (PKCS11Exception e) {
            throw new CardFailureException("cannot initialise " + library + ": " + e.getMessage(), e.getErrorCode(), e);
        }
    }

    /** The user-PIN flags now (count low, final try, locked), read without logging in. */
    public synchronized PinStatus pinStatus() throws CardException {
        try {
            return PinStatus.of(tokenFlags());
        } catch (PKCS11Exception e) {
            throw failure("cannot read the card's PIN status", e);
        }
    }

    public String label() {
        return label;
    }

    /**
     * Logs the user in. The PIN array is zeroed before returning. A failure is never retried: a wrong PIN
     * counts against the card's retry counter.
     */
    public synchronized void login(char[] pin) throws CardException {
        try {
            if ((tokenFlags() & CKF_USER_PIN_LOCKED) != 0) {
                throw new PinLockedException(null);
            }
            try {
                p11.C_Login(session, CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != Ckr.USER_ALREADY_LOGGED_IN) {
                    throw e;
                }
                // Logged in by an earlier session of this application: check this PIN anyway.
                p11.C_Logout(session);
                p11.C_Login(session, CKU_USER, pin);
            }
        } catch (PKCS11Exception e) {
            long flags = 0;
            try {
                flags = tokenFlags();
            } catch (PKCS11Exception ignored) {
                // the failure itself is what the holder needs to see
            }
            throw LoginOutcome.classify(e.getErrorCode(), flags, e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** Checks the PIN again (the holder's confirmation before writing): logs out and in. Zeroes the PIN. */
    public synchronized void reauthenticate(char[] pin) throws CardException {
        try {
            p11.C_Logout(session);
        } catch (PKCS11Exception e) {
            // not logged in: the login below decides
        }
        login(pin);
    }

    /** Lists holder certificates, pending keys and leftovers of an interrupted install. */
    public synchronized CardContents read() throws CardException {
        try {
            Set<ObjectId> privateKeys = new HashSet<>();
            for (long h : objects.find(new CK_ATTRIBUTE(CKA_CLASS, CKO_PRIVATE_KEY))) {
                privateKeys.add(objects.id(h));
            }
            Map<ObjectId, Long> publicKeys = new HashMap<>();
            for (long h : objects.find(new CK_ATTRIBUTE(CKA_CLASS, CKO_PUBLIC_KEY), new CK_ATTRIBUTE(CKA_TOKEN, true))) {
                publicKeys.put(objects.id(h), h);
            }
            Set<ObjectId> certificateIds = new HashSet<>();
            List<CardEntry> entries = new ArrayList<>();
            for (long h : objects.find(new CK_ATTRIBUTE(CKA_CLASS, CKO_CERTIFICATE),
                    new CK_ATTRIBUTE(CKA_CERTIFICATE_TYPE, KeyTemplates.CKC_X_509))) {
                ObjectId id = objects.id(h);
                certificateIds.add(id);
                X509Certificate cert = parse(objects.bytes(h, CKA_VALUE));
                if (cert != null) {
                    KeyPurpose.of(cert).ifPresent(p -> entries.add(new CardEntry(id, cert, p, privateKeys.contains(id))));
                }
            }
            List<PendingKey> pending = new ArrayList<>();
            for (ObjectId id : privateKeys) {
                if (id.purpose().isPresent() && !certificateIds.contains(id)) {
                    Long pub = publicKeys.get(id);
                    pending.add(new PendingKey(id, id.purpose().get(), pub == null ? null : objects.publicKey(pub)));
                }
            }
            List<ObjectId> stray = publicKeys.keySet().stream()
                    .filter(id -> id.purpose().isPresent() && certificateIds.contains(id)).toList();
            return new CardContents(entries, pending, stray);
        } catch (PKCS11Exception e) {
            throw failure("cannot read the card", e);
        }
    }

    /** Signs with a card key using {@link org.cardrenew.protocol.SignatureAlgorithms#forKey} of its public key. */
    public synchronized CardSignature sign(CardKey key, byte[] data) throws CardException {
        try {
            long handle = objects.single(CKO_PRIVATE_KEY, key.id());
            return CardSigning.sign(p11, session, handle, key.publicKey(), data);
        } catch (PKCS11Exception e) {
            throw failure("the card could not sign", e);
        }
    }

    /**
     * Generates a key pair ON the card: the private key a sensitive, non-extractable token object; the
     * public key a token object of the same fresh id, kept only until the certificate is installed.
     */
    public synchronized PendingKey generate(KeyPurpose purpose, KeySpec spec) throws CardException {
        ObjectId id = ObjectId.fresh(purpose);
        try {
            long[] handles = p11.C_GenerateKeyPair(session, KeyTemplates.mechanism(spec),
                    KeyTemplates.publicKey(id, purpose, spec), KeyTemplates.privateKey(id, purpose, spec));
            return new PendingKey(id, purpose, objects.publicKey(handles[0]));
        } catch (PKCS11Exception e) {
            throw failure("the card could not generate a " + spec.cliName() + " key pair", e);
        }
    }

    /** A PKCS#10 request (DER) signed by the card key, carrying exactly this subject (RFC 7030 §4.2.2). */
    public byte[] certificationRequest(CardKey key, X500Principal subject) throws CardException {
        return CertificationRequests.build(this, key, subject);
    }

    /**
     * Writes the certificate under its pending key's id, binding the two, then drops the pending public
     * key object. Refuses a certificate for another key. Writing is one C_CreateObject: either the key has
     * its certificate or it is still pending.
     */
    public synchronized CardEntry install(PendingKey key, X509Certificate certificate) throws CardException {
        KeyPurpose purpose = KeyPurpose.of(certificate)
                .orElseThrow(() -> new CardFailureException("the certificate is not a holder certificate"));
        if (key.publicKey() != null
                && !Arrays.equals(key.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new CardFailureException("the certificate does not certify the key " + key.id());
        }
        try {
            objects.single(CKO_PRIVATE_KEY, key.id());
            p11.C_CreateObject(session, KeyTemplates.certificate(key.id(), certificate));
            objects.destroy(CKO_PUBLIC_KEY, key.id());
        } catch (PKCS11Exception e) {
            throw failure("the certificate could not be written to the card", e);
        } catch (CertificateException e) {
            throw new CardFailureException("the certificate cannot be encoded: " + e.getMessage(), -1, e);
        }
        return new CardEntry(key.id(), certificate, purpose, true);
    }

    /** Proves an installed entry works: the card key signs, the certificate's public key verifies. */
    public void verify(CardEntry entry) throws CardException {
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
     * Deletes everything with this id: private key first, then public key, certificate last, so an
     * interruption never leaves a key that looks pending (a private key without a certificate).
     */
    public synchronized void delete(ObjectId id) throws CardException {
        try {
            objects.destroy(CKO_PRIVATE_KEY, id);
            objects.destroy(CKO_PUBLIC_KEY, id);
            objects.destroy(CKO_CERTIFICATE, id);
        } catch (PKCS11Exception e) {
            throw failure("cannot delete " + id + " from the card", e);
        }
    }

    /** Deletes the public key objects with this id (left when an install was interrupted). */
    public synchronized void deletePublicKeys(ObjectId id) throws CardException {
        try {
            objects.destroy(CKO_PUBLIC_KEY, id);
        } catch (PKCS11Exception e) {
            throw failure("cannot delete the public key " + id, e);
        }
    }

    /** Logs out and closes the session. The library stays loaded for the JVM (PKCS#11 allows one C_Initialize). */
    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            p11.C_Logout(session);
        } catch (PKCS11Exception ignored) {
            // not logged in
        }
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception ignored) {
            // card gone: nothing left to close
        }
    }

    private long tokenFlags() throws PKCS11Exception {
        CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
        return info.flags;
    }

    private static X509Certificate parse(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            return null;
        }
    }

    static CardException failure(String what, PKCS11Exception e) {
        long code = e.getErrorCode();
        if (code == Ckr.DEVICE_REMOVED || code == Ckr.TOKEN_NOT_PRESENT || code == Ckr.SESSION_HANDLE_INVALID
                || code == Ckr.SESSION_CLOSED || code == Ckr.SLOT_ID_INVALID) {
            return new NoTokenException(NoTokenException.Reason.CARD_REMOVED, what + ": the card was removed", e);
        }
        return new CardFailureException(what + ": " + e.getMessage(), code, e);
    }
}
