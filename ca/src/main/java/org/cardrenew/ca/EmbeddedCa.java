package org.cardrenew.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.cardrenew.ca.CaUnavailableException.Problem;

/**
 * The CA that runs inside the server: a two-level hierarchy of a self-signed root CA and an issuing CA (pathLen 0)
 * that signs all holder certificates.
 *
 * <p>Why two levels: relying parties (card middleware, mail clients, the agencies' trust stores) pin the root,
 * which can stay the same for 20 years, while the issuing CA — the key used every day — can be replaced (new key,
 * new algorithm, compromise) by certifying a new issuing CA under the same root, without redistributing trust
 * anchors. Both keys live in the same key store (PKCS#12 file or HSM token) so the embedded CA can certify a
 * successor issuing CA itself; an agency that wants an offline root creates it elsewhere and imports both entries.
 *
 * <p>On first start {@link #openOrCreate} generates both key pairs in the store and stores them under the aliases
 * {@value #ROOT_ALIAS} and {@value #ISSUING_ALIAS}; later starts load them. Settings that only shape a new CA
 * (key type, subjects, lifetimes) are ignored once it exists.
 */
public final class EmbeddedCa implements CertificateAuthority, CrlIssuer, TlsServerCertificateIssuer {

    public static final String ROOT_ALIAS = "cardrenew-root-ca";
    public static final String ISSUING_ALIAS = "cardrenew-issuing-ca";

    private static final System.Logger LOG = System.getLogger(EmbeddedCa.class.getName());

    private final CaSigner issuing;
    private final X509Certificate root;
    private final HolderCertificateTemplate template;
    private final RandomSerials serials = new RandomSerials();
    private final CaKeyStore store;
    private final Clock clock;
    /** The issuing CA's subject as encoded: the issuer of every certificate it signs. */
    private final byte[] issuingName;

    private EmbeddedCa(CaSigner issuing, X509Certificate root, PublicationUrls urls, CaKeyStore store, Clock clock) {
        this.issuing = issuing;
        this.root = root;
        this.template = new HolderCertificateTemplate(urls);
        this.store = store;
        this.clock = clock;
        this.issuingName = issuing.certificate().getSubjectX500Principal().getEncoded();
    }

    /**
     * Loads the CA from its key store, creating root and issuing CA there on first start.
     *
     * @throws CaUnavailableException with a message for the operator when the store cannot be opened (wrong
     *     password or PIN, no token with the label, unreadable file) or holds a partial CA
     */
    public static EmbeddedCa openOrCreate(CaSettings settings, Clock clock) {
        return openOrCreate(settings, clock, CryptoProviders.jvm());
    }

    /**
     * The same with a provider choice of the caller's rather than the JVM's: the bench's what-if without native
     * crypto, and tests of both paths in one JVM.
     */
    public static EmbeddedCa openOrCreate(CaSettings settings, Clock clock, CryptoProviders providers) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(providers, "providers");
        CaKeyStore store = CaKeyStore.open(settings.keyLocation());
        RandomSerials serials = new RandomSerials();
        Optional<CaKeyStore.Entry> rootEntry = store.load(ROOT_ALIAS);
        Optional<CaKeyStore.Entry> issuingEntry = store.load(ISSUING_ALIAS);
        if (rootEntry.isEmpty() && issuingEntry.isPresent()) {
            throw new CaUnavailableException(
                    Problem.CA_INVALID,
                    settings.keyLocation() + " holds the issuing CA '" + ISSUING_ALIAS + "' but not its root '"
                            + ROOT_ALIAS + "'");
        }
        try {
            CaKeyStore.Entry rootCa =
                    rootEntry.isPresent() ? rootEntry.get() : createRoot(store, settings, clock, serials);
            CaSigner rootSigner = new CaSigner(rootCa.key(), rootCa.certificate(), store.signingProvider(), providers);
            CaKeyStore.Entry issuingCa = issuingEntry.isPresent()
                    ? issuingEntry.get()
                    : createIssuing(store, settings, rootSigner, clock, serials);
            checkChain(issuingCa.certificate(), rootCa.certificate(), settings);
            EmbeddedCa ca = new EmbeddedCa(
                    new CaSigner(issuingCa.key(), issuingCa.certificate(), store.signingProvider(), providers),
                    rootCa.certificate(),
                    settings.urls(),
                    store,
                    clock);
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0} CA from {1}: issuing {2} (SHA-256 {3}), root {4}",
                    issuingEntry.isPresent() ? "loaded" : "created",
                    settings.keyLocation(),
                    issuingCa.certificate().getSubjectX500Principal(),
                    fingerprint(issuingCa.certificate()),
                    rootCa.certificate().getSubjectX500Principal());
            return ca;
        } catch (GeneralSecurityException | IOException e) {
            throw new CaUnavailableException(
                    Problem.CA_INVALID,
                    "cannot create or check the CA in " + settings.keyLocation() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The module that signs for the issuing CA, with its version (e.g. "AmazonCorrettoCryptoProvider 2.5.0 (AWS-LC
     * v1.47.0)", "SunPKCS11-cardrenew-ca 17"): an auditor wants to know which module signs.
     */
    public String signingModule() {
        return issuing.signingModule();
    }

    @Override
    public List<X509Certificate> chain() {
        return List.of(issuing.certificate(), root);
    }

    @Override
    public IssuedCertificate issue(IssuanceRequest request) throws IssuanceException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.subject(), "subject");
        Objects.requireNonNull(request.profile(), "profile");
        Objects.requireNonNull(request.publicKey(), "public key");
        HolderKeyPolicy.check(request.publicKey());
        Instant[] validity = validity(request.notBefore(), request.notAfter());
        checkSubject(request.subject());
        SerialNumber serial = serials.next();
        try {
            X509v3CertificateBuilder builder = template.builder(request, serial, validity[0], validity[1], issuing);
            return new IssuedCertificate(issuing.signChecked(builder), serial, validity[0], validity[1]);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IssuanceException(
                    IssuanceException.Reason.CA_UNAVAILABLE, "the issuing CA key could not sign: " + e.getMessage(), e);
        }
    }

    /**
     * Issuer name and signature (RFC 5280 §6.1.3 (a)(1), (a)(4)). Every card authentication asks this of a certificate
     * parsed from the request, with nothing of the check cached in it yet: the name is compared as encoded first (a
     * certificate this CA issued carries the issuing CA's subject byte for byte, where the JDK's comparison builds
     * both canonical strings), then by RFC 5280's rules; the signature is checked where the CA checks its own (issue
     * 14: 101-124 µs of CPU and 9.5 KB per call through the JDK with an RSA-2048 CA, 30-52 µs and 3.5 KB now on the
     * same slow machine, docs/BENCHMARKS.md).
     */
    @Override
    public boolean isIssuerOf(X509Certificate certificate) {
        if (certificate == null) {
            return false;
        }
        X500Principal issuer = certificate.getIssuerX500Principal();
        if (!Arrays.equals(issuer.getEncoded(), issuingName)
                && !issuer.equals(issuing.certificate().getSubjectX500Principal())) {
            return false;
        }
        return issuing.signed(certificate);
    }

    @Override
    public X509CRL issueCrl(CrlContent content) throws IssuanceException {
        Objects.requireNonNull(content, "content");
        return CrlBuilder.sign(content, issuing);
    }

    @Override
    public IssuedCertificate issueTlsServer(TlsServerRequest request) throws IssuanceException {
        Objects.requireNonNull(request, "request");
        HolderKeyPolicy.check(request.publicKey());
        Instant[] validity = validity(request.notBefore(), request.notAfter());
        SerialNumber serial = serials.next();
        try {
            X509Certificate certificate = issuing.sign(
                    TlsServerCertificateTemplate.builder(request, serial, validity[0], validity[1], issuing, template));
            return new IssuedCertificate(certificate, serial);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IssuanceException(
                    IssuanceException.Reason.CA_UNAVAILABLE, "the issuing CA key could not sign: " + e.getMessage(), e);
        }
    }

    /**
     * An OCSP responder whose responses are signed by a delegated OCSP signing certificate kept in this CA's key
     * store (alias {@code cardrenew-ocsp-signer}), created now if missing or due and replaced automatically.
     *
     * @throws CaUnavailableException when the signing certificate cannot be created (key store not writable, HSM)
     */
    public OcspResponder ocspResponder(OcspSettings settings) {
        DelegatedOcspResponder responder = new DelegatedOcspResponder(
                store, issuing, root, settings == null ? OcspSettings.DEFAULT : settings, clock, serials);
        try {
            responder.signerCertificate(); // fail at start-up, not at the first request
        } catch (GeneralSecurityException | IOException e) {
            throw new CaUnavailableException(
                    Problem.CA_INVALID, "cannot create the OCSP signing certificate: " + e.getMessage(), e);
        }
        return responder;
    }

    /** RFC 5280 §4.1.2.5: whole seconds, a non-empty period, never beyond the issuing CA's notAfter. */
    private Instant[] validity(Instant requestedNotBefore, Instant requestedNotAfter) throws IssuanceException {
        if (requestedNotBefore == null || requestedNotAfter == null) {
            throw new IssuanceException(
                    IssuanceException.Reason.VALIDITY_INVALID, "notBefore and notAfter are required");
        }
        Instant notBefore = requestedNotBefore.truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = requestedNotAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new IssuanceException(
                    IssuanceException.Reason.VALIDITY_INVALID,
                    "notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
        Instant caNotAfter = issuing.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            // A certificate that outlives its issuer would fail path validation in its last part of life.
            throw new IssuanceException(
                    IssuanceException.Reason.VALIDITY_INVALID,
                    "notAfter " + notAfter + " is after the issuing CA's notAfter " + caNotAfter);
        }
        return new Instant[] {notBefore, notAfter};
    }

    /**
     * The subject is copied as encoded (RFC 7030 §4.2.2: a renewed certificate keeps it byte for byte); an
     * X500Principal's encoding is already DER, so BouncyCastle writes the same bytes back.
     */
    private static void checkSubject(X500Principal subject) {
        if (subject.getEncoded().length <= 2) {
            throw new IllegalArgumentException("a holder certificate needs a non-empty subject");
        }
    }

    private static CaKeyStore.Entry createRoot(
            CaKeyStore store, CaSettings settings, Clock clock, RandomSerials serials)
            throws GeneralSecurityException, IOException {
        KeyPair keys = store.generate(settings.keyType());
        X509Certificate certificate = CaCertificates.root(
                keys,
                settings.keyType(),
                store.signingProvider(),
                settings.subjects().root(),
                clock.instant(),
                settings.lifetimes(),
                serials);
        store.store(ROOT_ALIAS, keys.getPrivate(), certificate);
        return new CaKeyStore.Entry(keys.getPrivate(), certificate);
    }

    private static CaKeyStore.Entry createIssuing(
            CaKeyStore store, CaSettings settings, CaSigner root, Clock clock, RandomSerials serials)
            throws GeneralSecurityException, IOException {
        KeyPair keys = store.generate(settings.keyType());
        X509Certificate certificate = CaCertificates.issuing(
                keys.getPublic(), settings.subjects().issuing(), root, clock.instant(), settings.lifetimes(), serials);
        store.store(ISSUING_ALIAS, keys.getPrivate(), certificate, root.certificate());
        return new CaKeyStore.Entry(keys.getPrivate(), certificate);
    }

    private static void checkChain(X509Certificate issuing, X509Certificate root, CaSettings settings) {
        try {
            issuing.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.CA_INVALID,
                    "the issuing CA in " + settings.keyLocation() + " was not signed by the root CA stored beside it",
                    e);
        }
    }

    private static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
