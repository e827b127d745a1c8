package org.cardrenew.agent.card;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.cardrenew.pkcs11.Attribute;
import org.cardrenew.pkcs11.Cka;
import org.cardrenew.pkcs11.Ckf;
import org.cardrenew.pkcs11.Cko;
import org.cardrenew.pkcs11.Ckr;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.cardrenew.pkcs11.Pkcs11Library;
import org.cardrenew.pkcs11.Pkcs11Session;
import org.cardrenew.pkcs11.TokenInfo;

/**
 * A {@link Card} reached through its PKCS#11 library: one token, found by its label, driven through the
 * {@code pkcs11} module (the JDK's PKCS#11 wrapper). The wrapper (not the SunPKCS11 KeyStore) gives exact
 * control over CKA_ID, templates and object order, which the resumable renewal depends on: a key is marked with its id atomically at generation, and the KeyStore would hide
 * private keys without certificates. Not thread-safe across instances of the same token (PKCS#11 login is
 * per application); each method is synchronized.
 */
final class Pkcs11Card implements Card {

    private final Pkcs11Library library;
    private final long slot;
    private final String label;
    private final Pkcs11Session session;
    private final TokenObjects objects;
    private final CardLock lock;
    private boolean open;

    private Pkcs11Card(Pkcs11Library library, long slot, String label, Pkcs11Session session, CardLock lock) {
        this.library = library;
        this.slot = slot;
        this.label = label;
        this.session = session;
        this.objects = new TokenObjects(session);
        this.lock = lock;
        this.open = true;
    }

    static Card open(Path libraryPath, String tokenLabel) throws CardException {
        Pkcs11Library library = load(libraryPath);
        try {
            List<TokenInfo> present = library.tokens();
            List<String> labels = new ArrayList<>();
            for (TokenInfo token : present) {
                if (token.isLabelled(tokenLabel)) {
                    // Before the session: a second CardRenew process on this card stops here, having done nothing.
                    CardLock lock = CardLock.acquire(token.label(), token.serialNumber());
                    try {
                        return new Pkcs11Card(
                                library, token.slot(), token.label(), library.openSession(token.slot()), lock);
                    } catch (Pkcs11Exception | RuntimeException e) {
                        lock.close();
                        throw e;
                    }
                }
                labels.add(token.label());
            }
            if (present.isEmpty()) {
                throw new NoTokenException(NoTokenException.Reason.NO_CARD, "no card is present", null);
            }
            throw new NoTokenException(
                    NoTokenException.Reason.NO_SUCH_TOKEN,
                    "no card labelled '" + tokenLabel + "' (present: " + labels + ")",
                    null);
        } catch (Pkcs11Exception e) {
            throw failure("cannot open the card", e);
        }
    }

    static List<String> labels(Path libraryPath) throws CardException {
        Pkcs11Library library = load(libraryPath);
        try {
            // An uninitialised slot (SoftHSM2's spare one) is no card.
            return library.tokens().stream()
                    .filter(TokenInfo::initialized)
                    .map(TokenInfo::label)
                    .toList();
        } catch (Pkcs11Exception e) {
            throw failure("cannot list the cards", e);
        }
    }

    private static Pkcs11Library load(Path library) throws CardException {
        // A bare file name is left to the system loader's search path.
        if (library.isAbsolute() && !Files.isRegularFile(library)) {
            throw new NoTokenException(
                    NoTokenException.Reason.LIBRARY_MISSING, "no PKCS#11 library at " + library, null);
        }
        try {
            return Pkcs11Library.load(library);
        } catch (IOException e) {
            throw new NoTokenException(
                    NoTokenException.Reason.LIBRARY_MISSING,
                    "cannot load PKCS#11 library " + library + ": " + e.getMessage(),
                    e);
        } catch (Pkcs11Exception e) {
            throw new CardFailureException("cannot initialise " + library + ": " + e.getMessage(), e.errorCode(), e);
        }
    }

    @Override
    public synchronized PinStatus pinStatus() throws CardException {
        try {
            return PinStatus.of(tokenFlags());
        } catch (Pkcs11Exception e) {
            throw failure("cannot read the card's PIN status", e);
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public synchronized void login(char[] pin) throws CardException {
        try {
            if ((tokenFlags() & Ckf.USER_PIN_LOCKED) != 0) {
                throw new PinLockedException(null);
            }
            try {
                session.login(pin);
            } catch (Pkcs11Exception e) {
                if (e.errorCode() != Ckr.USER_ALREADY_LOGGED_IN) {
                    throw e;
                }
                // Logged in by an earlier session of this application: check this PIN anyway.
                session.logout();
                session.login(pin);
            }
        } catch (Pkcs11Exception e) {
            long flags = 0;
            try {
                flags = tokenFlags();
            } catch (Pkcs11Exception ignored) {
                // the failure itself is what the holder needs to see
            }
            throw LoginOutcome.classify(e.errorCode(), flags, e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    @Override
    public synchronized void reauthenticate(char[] pin) throws CardException {
        try {
            session.logout();
        } catch (Pkcs11Exception e) {
            // not logged in: the login below decides
        }
        login(pin);
    }

    @Override
    public synchronized CardContents read() throws CardException {
        try {
            Set<ObjectId> privateKeys = new HashSet<>();
            for (long h : objects.find(Attribute.of(Cka.CLASS, Cko.PRIVATE_KEY))) {
                privateKeys.add(objects.id(h));
            }
            Map<ObjectId, Long> publicKeys = new HashMap<>();
            for (long h : objects.find(Attribute.of(Cka.CLASS, Cko.PUBLIC_KEY), Attribute.of(Cka.TOKEN, true))) {
                publicKeys.put(objects.id(h), h);
            }
            Set<ObjectId> certificateIds = new HashSet<>();
            List<CardEntry> entries = new ArrayList<>();
            List<CardEntry> history = new ArrayList<>();
            for (long h : objects.find(
                    Attribute.of(Cka.CLASS, Cko.CERTIFICATE),
                    Attribute.of(Cka.CERTIFICATE_TYPE, KeyTemplates.CKC_X_509))) {
                ObjectId id = objects.id(h);
                certificateIds.add(id);
                X509Certificate cert = parse(session.bytes(h, Cka.VALUE));
                // The certificate's label is the history mark: readable without the PIN, set last.
                List<CardEntry> list = KeyTemplates.isHistoryLabel(session.label(h)) ? history : entries;
                if (cert != null) {
                    KeyPurpose.of(cert).ifPresent(p -> list.add(new CardEntry(id, cert, p, privateKeys.contains(id))));
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
                    .filter(id -> id.purpose().isPresent() && certificateIds.contains(id))
                    .toList();
            return new CardContents(entries, history, pending, stray);
        } catch (Pkcs11Exception e) {
            throw failure("cannot read the card", e);
        }
    }

    @Override
    public synchronized CardSignature sign(CardKey key, byte[] data) throws CardException {
        try {
            long handle = objects.single(Cko.PRIVATE_KEY, key.id());
            return CardSigning.sign(session, handle, key.publicKey(), data);
        } catch (Pkcs11Exception e) {
            throw failure("the card could not sign", e);
        }
    }

    @Override
    public synchronized PendingKey generate(KeyPurpose purpose, KeySpec spec) throws CardException {
        ObjectId id = ObjectId.fresh(purpose);
        String what = "the card could not generate a " + spec.cliName() + " key pair";
        long[] handles;
        try {
            handles = session.generateKeyPair(
                    KeyTemplates.mechanism(spec),
                    KeyTemplates.publicKey(id, purpose, spec),
                    KeyTemplates.privateKey(id, purpose, spec));
        } catch (Pkcs11Exception e) {
            throw writeFailure(what, e);
        }
        try {
            Map<Long, Boolean> wanted = KeyUsage.privateKey(purpose, spec);
            Map<Long, Boolean> read = new HashMap<>();
            for (long attribute : wanted.keySet()) {
                read.put(attribute, session.flag(handles[1], attribute));
            }
            List<String> ignored = KeyUsage.ignored(wanted, read);
            if (!ignored.isEmpty()) {
                // Nothing half-written: the pair the card got wrong goes before anyone can use it.
                session.destroy(handles[1]);
                session.destroy(handles[0]);
                throw new KeyUsageIgnoredException(
                        "the card did not set the key usages asked for (" + String.join(", ", ignored)
                                + "); the new key pair was deleted",
                        ignored);
            }
            return new PendingKey(id, purpose, objects.publicKey(handles[0]));
        } catch (Pkcs11Exception e) {
            throw failure(what, e);
        }
    }

    @Override
    public synchronized CardEntry install(PendingKey key, X509Certificate certificate) throws CardException {
        KeyPurpose purpose = KeyPurpose.of(certificate)
                .orElseThrow(() -> new CardFailureException("the certificate is not a holder certificate"));
        if (key.publicKey() != null
                && !Arrays.equals(
                        key.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new CardFailureException("the certificate does not certify the key " + key.id());
        }
        try {
            objects.single(Cko.PRIVATE_KEY, key.id());
            session.create(KeyTemplates.certificate(key.id(), certificate));
            objects.destroy(Cko.PUBLIC_KEY, key.id());
        } catch (Pkcs11Exception e) {
            throw writeFailure("the certificate could not be written to the card", e);
        } catch (CertificateException e) {
            throw new CardFailureException("the certificate cannot be encoded: " + e.getMessage(), -1, e);
        }
        return new CardEntry(key.id(), certificate, purpose, true);
    }

    @Override
    public synchronized void keepAsHistory(ObjectId id) throws CardException {
        Attribute label = Attribute.of(Cka.LABEL, KeyTemplates.historyLabel(id));
        try {
            long[] certificates = objects.find(Cko.CERTIFICATE, id);
            if (certificates.length == 0) {
                throw new CardFailureException("no certificate " + id + " on the card");
            }
            for (long h : objects.find(Cko.PRIVATE_KEY, id)) {
                session.set(h, label);
            }
            for (long h : certificates) {
                session.set(h, label);
            }
        } catch (Pkcs11Exception e) {
            throw writeFailure("cannot keep " + id + " as decryption history", e);
        }
    }

    @Override
    public synchronized void delete(ObjectId id) throws CardException {
        try {
            objects.destroy(Cko.PRIVATE_KEY, id);
            objects.destroy(Cko.PUBLIC_KEY, id);
            objects.destroy(Cko.CERTIFICATE, id);
        } catch (Pkcs11Exception e) {
            throw failure("cannot delete " + id + " from the card", e);
        }
    }

    @Override
    public synchronized void deletePublicKeys(ObjectId id) throws CardException {
        try {
            objects.destroy(Cko.PUBLIC_KEY, id);
        } catch (Pkcs11Exception e) {
            throw failure("cannot delete the public key " + id, e);
        }
    }

    /** The library stays loaded for the JVM (PKCS#11 allows one C_Initialize). */
    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            session.logout();
        } catch (Pkcs11Exception ignored) {
            // not logged in
        }
        try {
            session.close();
        } catch (Pkcs11Exception ignored) {
            // card gone: nothing left to close
        } finally {
            lock.close();
        }
    }

    private long tokenFlags() throws Pkcs11Exception {
        return library.tokenInfo(slot).flags();
    }

    private static X509Certificate parse(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            return null;
        }
    }

    /** A failed call that creates or changes objects: a full card is told apart (see {@link CardSpace}). */
    private CardException writeFailure(String what, Pkcs11Exception e) {
        long freePublic = -1;
        long freePrivate = -1;
        if (e.errorCode() == Ckr.DEVICE_ERROR) {
            try {
                TokenInfo info = library.tokenInfo(slot);
                freePublic = info.freePublicMemory();
                freePrivate = info.freePrivateMemory();
            } catch (Pkcs11Exception ignored) {
                // the failure itself is what the holder needs to see
            }
        }
        if (CardSpace.isFull(e.errorCode(), freePublic, freePrivate)) {
            return new CardFullException(what + ": the card is full", e.errorCode(), e);
        }
        return failure(what, e);
    }

    static CardException failure(String what, Pkcs11Exception e) {
        long code = e.errorCode();
        if (code == Ckr.DEVICE_REMOVED
                || code == Ckr.TOKEN_NOT_PRESENT
                || code == Ckr.SESSION_HANDLE_INVALID
                || code == Ckr.SESSION_CLOSED
                || code == Ckr.SLOT_ID_INVALID) {
            return new NoTokenException(NoTokenException.Reason.CARD_REMOVED, what + ": the card was removed", e);
        }
        return new CardFailureException(what + ": " + e.getMessage(), code, e);
    }
}
