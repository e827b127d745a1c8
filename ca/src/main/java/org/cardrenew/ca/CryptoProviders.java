package org.cardrenew.ca;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.util.io.TeeOutputStream;

/**
 * Which JCA provider does which signature work: the one place that decides. Native crypto (Amazon Corretto Crypto
 * Provider, AWS-LC inside) signs for a software (PKCS#12) CA key and checks the holders' RSA PKCS#1 v1.5 and ECDSA
 * P-256/P-384 signatures, where it loads and passes its self-tests; everything else goes where it went before:
 * BouncyCastle checks the holders' other signatures (RSASSA-PSS, other curves), the JDK signs for a software key when
 * native crypto is off or missing, and an HSM key always signs through its own SunPKCS11 provider.
 *
 * <p>Why native: on JDK 17, one thread, an RSA-2048 signature costs 1,190 µs in SunRsaSign and 670 µs in ACCP with
 * the key translated once; a P-256 check of a new key 260 µs in BouncyCastle and 70 µs in ACCP (docs/BENCHMARKS.md,
 * issue 14 session 7). Never required: on another OS or CPU the library does not load and nothing changes. Never
 * registered with {@code Security}: only the callers of this class use it, by explicit provider object.
 *
 * <p>The operator switch is JVM-wide and read once, before any Spring configuration exists: the system property
 * {@value #SWITCH_PROPERTY}, else the environment variable {@value #SWITCH_ENVIRONMENT}; {@code false} turns native
 * crypto off (docs/OPERATIONS.md).
 */
public final class CryptoProviders {

    public static final String SWITCH_PROPERTY = "cardrenew.crypto.native";
    public static final String SWITCH_ENVIRONMENT = "CARDRENEW_CRYPTO_NATIVE";

    private static final System.Logger LOG = System.getLogger(CryptoProviders.class.getName());

    /**
     * The holder signature algorithms native crypto checks, each tested against BouncyCastle's verdicts
     * (CryptoProvidersTest). The P1363 (r||s) forms are what a PKCS#11 card's CKM_ECDSA returns.
     */
    private static final Set<String> NATIVE_ECDSA = Set.of(
            "SHA256withECDSA",
            "SHA384withECDSA",
            "SHA512withECDSA",
            "SHA256withECDSAinP1363Format",
            "SHA384withECDSAinP1363Format",
            "SHA512withECDSAinP1363Format");

    private static final Set<String> NATIVE_RSA = Set.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA");

    /** The same algorithms as they appear in PKCS#10 and CRMF: RSASSA-PSS is left out on purpose. */
    private static final Map<ASN1ObjectIdentifier, String> NATIVE_OIDS = Map.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    private static final ECParameterSpec P256 = namedCurve("secp256r1");
    private static final ECParameterSpec P384 = namedCurve("secp384r1");

    private final Provider nativeProvider;
    private final String nativeAbsence;
    private final Provider bouncyCastle = new BouncyCastleProvider();

    private CryptoProviders(Provider nativeProvider, String nativeAbsence) {
        this.nativeProvider = nativeProvider;
        this.nativeAbsence = nativeAbsence;
    }

    /** The JVM's choice, made once from the operator switch when this class is first used. */
    public static CryptoProviders jvm() {
        return Jvm.INSTANCE;
    }

    /** Native crypto where it loads (and passes its self-tests) if {@code nativeCrypto}, else today's providers. */
    public static CryptoProviders create(boolean nativeCrypto) {
        return create(nativeCrypto, CryptoProviders::loadCorretto);
    }

    /**
     * @param nativeLoader the healthy native provider, or an exception saying why there is none (a test simulates a
     *     platform without the library through it)
     */
    static CryptoProviders create(boolean nativeCrypto, Callable<Provider> nativeLoader) {
        if (!nativeCrypto) {
            return new CryptoProviders(null, "turned off by " + SWITCH_PROPERTY + " / " + SWITCH_ENVIRONMENT);
        }
        try {
            return new CryptoProviders(Objects.requireNonNull(nativeLoader.call(), "no provider"), null);
        } catch (Exception | LinkageError e) {
            return new CryptoProviders(null, "cannot be used: " + e);
        }
    }

    /** The native provider, if it loaded and is on. */
    public Optional<Provider> nativeProvider() {
        return Optional.ofNullable(nativeProvider);
    }

    /** Why there is no native provider ("turned off ...", "cannot be used: ..."); empty when there is one. */
    public Optional<String> nativeAbsence() {
        return Optional.ofNullable(nativeAbsence);
    }

    /** The provider that judges first a holder's signature of this JCA algorithm made with this key. */
    public Provider holderProvider(String algorithm, PublicKey key) {
        return nativeChecks(algorithm, key) ? nativeProvider : bouncyCastle;
    }

    /**
     * Whether a holder's signature (challenge, confirmation) verifies. Native crypto where it handles the algorithm
     * and the key; BouncyCastle otherwise, wherever native crypto refuses the algorithm or the key at
     * initialisation, and for an RSA signature native crypto refuses (see {@link #confirmsRefusal}).
     *
     * @return true when it verifies; false, or a GeneralSecurityException, when it does not (a refusal either way)
     */
    public boolean holderSignatureVerifies(String algorithm, PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        if (nativeChecks(algorithm, key)) {
            Signature verifier = nativeVerifier(algorithm, key);
            if (verifier != null) {
                if (!confirmsRefusal(algorithm)) {
                    verifier.update(data);
                    return verifier.verify(signature);
                }
                if (verifiesQuietly(verifier, data, signature)) {
                    return true;
                }
            }
        }
        Signature verifier = Signature.getInstance(algorithm, bouncyCastle);
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    /**
     * A BouncyCastle content verifier for holders' PKCS#10 and CRMF proofs of possession and CMP protection: native
     * crypto for the algorithm identifiers it handles with this key, BouncyCastle for the others (RSASSA-PSS among
     * them), wherever native crypto refuses to build a verifier, and for an RSA signature native crypto refuses.
     */
    public ContentVerifierProvider holderContentVerifier(PublicKey key) throws OperatorCreationException {
        ContentVerifierProvider fallback = new JcaContentVerifierProviderBuilder()
                .setProvider(bouncyCastle)
                .build(key);
        if (nativeProvider == null) {
            return fallback;
        }
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return false;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return null;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                String name = algorithm == null ? null : NATIVE_OIDS.get(algorithm.getAlgorithm());
                // RFC 5754 §3.2, RFC 4055 §5: these identifiers carry absent or NULL parameters; anything else
                // is left for BouncyCastle to judge, as before.
                if (name == null || !plainParameters(algorithm) || !nativeChecks(name, key)) {
                    return fallback.get(algorithm);
                }
                Signature verifier = nativeVerifier(name, key);
                if (verifier == null) {
                    return fallback.get(algorithm); // as holderSignatureVerifies does
                }
                ContentVerifier first = new NativeContentVerifier(algorithm, verifier);
                return confirmsRefusal(name) ? new ConfirmedRefusal(first, () -> fallback.get(algorithm)) : first;
            }
        };
    }

    /**
     * RSA PKCS#1 v1.5 verdicts differ in two lenient cases, both accepted by BouncyCastle and refused by AWS-LC
     * (CryptoProvidersTest): a DigestInfo without the NULL parameters (the JDK accepts it too) and a signature one
     * byte short of the modulus (RFC 8017 §8.2.2 says refuse). A card whose signatures the RA accepted before must
     * not be refused now, so BouncyCastle has the last word on an RSA refusal; it costs a second check of invalid
     * signatures only. ECDSA verdicts agree in every case tested (encoding, r or s zero or out of range), so an
     * ECDSA refusal is final.
     */
    private static boolean confirmsRefusal(String algorithm) {
        return NATIVE_RSA.contains(algorithm);
    }

    private static boolean verifiesQuietly(Signature verifier, byte[] data, byte[] signature) {
        try {
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException refused) {
            return false;
        }
    }

    /**
     * One native {@link Signature} as a content verifier. BouncyCastle's {@code JcaContentVerifierProviderBuilder}
     * also prepares a second, raw signature for every verifier it builds, and native crypto converts the holder's key
     * for each: a PKCS#10 proof of possession cost about twice a plain native check (docs/BENCHMARKS.md, issue 14).
     */
    private static final class NativeContentVerifier implements ContentVerifier {

        private final AlgorithmIdentifier algorithm;
        private final Signature signature;

        NativeContentVerifier(AlgorithmIdentifier algorithm, Signature signature) {
            this.algorithm = algorithm;
            this.signature = signature;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStreamFactory.createStream(signature);
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                return signature.verify(expected);
            } catch (SignatureException e) {
                // as BouncyCastle's verifiers report it: a refusal, for the callers that catch it
                throw new RuntimeOperatorException("exception obtaining signature: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A native verifier of this JCA algorithm ready for this key, or null where native crypto refuses the algorithm or
     * the key at initialisation (outside what AWS-LC takes: BouncyCastle judges it, as before).
     */
    private Signature nativeVerifier(String algorithm, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(algorithm, nativeProvider);
            verifier.initVerify(key);
            return verifier;
        } catch (NoSuchAlgorithmException | InvalidKeyException refused) {
            return null;
        }
    }

    /** A native content verifier whose refusal BouncyCastle confirms on the same bytes (see confirmsRefusal). */
    private static final class ConfirmedRefusal implements ContentVerifier {

        /** Supplies BouncyCastle's verifier only when it is needed. */
        private interface Fallback {
            ContentVerifier get() throws OperatorCreationException;
        }

        private final ContentVerifier first;
        private final Fallback fallback;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();

        ConfirmedRefusal(ContentVerifier first, Fallback fallback) {
            this.first = first;
            this.fallback = fallback;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return first.getAlgorithmIdentifier();
        }

        @Override
        public OutputStream getOutputStream() {
            // Holders' requests are small (a CSR, a CMP message within the body limit): buffering them is cheap.
            return new TeeOutputStream(first.getOutputStream(), content);
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                if (first.verify(expected)) {
                    return true;
                }
            } catch (RuntimeException refused) {
                // a refusal too (BouncyCastle wraps a SignatureException in a RuntimeOperatorException)
            }
            try {
                ContentVerifier second = fallback.get();
                try (OutputStream out = second.getOutputStream()) {
                    content.writeTo(out);
                }
                return second.verify(expected);
            } catch (OperatorCreationException | IOException e) {
                throw new RuntimeOperatorException("cannot confirm the refusal: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What signs for a CA key: a token key (provider given) stays with its token's provider untouched; a software
     * key is translated once into native crypto's own key object (ACCP converts a JDK key on every signature
     * otherwise, which costs what it saves) when native crypto is on, and stays with the JDK's providers otherwise.
     *
     * @param tokenProvider the HSM's provider, or null for a software key
     */
    CaSigningKey caSigningKey(PrivateKey key, PublicKey certified, Provider tokenProvider) {
        if (tokenProvider != null || nativeProvider == null) {
            return new CaSigningKey(key, tokenProvider, certified, null);
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), nativeProvider);
            return new CaSigningKey(
                    (PrivateKey) factory.translateKey(key),
                    nativeProvider,
                    (PublicKey) factory.translateKey(certified),
                    nativeProvider);
        } catch (GeneralSecurityException | RuntimeException e) {
            // The exception's class only: a provider's message about a key is not worth the risk of a key in a log.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "native crypto cannot take the CA key ({0}); it signs through the JDK''s providers",
                    e.getClass().getName());
            return new CaSigningKey(key, null, certified, null);
        }
    }

    /**
     * A CA key ready to sign: the key and its provider (null: the JDK's default providers), and the certified public
     * key with the provider that checks each signature after it is made (null: the JDK's default providers).
     */
    record CaSigningKey(PrivateKey key, Provider provider, PublicKey certified, Provider checkProvider) {}

    /** For the start-up line and the bench's report: which module checks the holders' signatures. */
    public String holderModules() {
        String bc = moduleName(bouncyCastle);
        if (nativeProvider == null) {
            return bc + "; native crypto " + nativeAbsence;
        }
        return moduleName(nativeProvider) + " for RSA PKCS#1 v1.5 and ECDSA on P-256/P-384, " + bc + " for the rest";
    }

    /** A provider as an auditor wants to read it: its name and version, and for ACCP the AWS-LC version. */
    public static String moduleName(Provider provider) {
        if (provider == null) {
            return "the JDK's default providers";
        }
        String info = provider.getInfo();
        // ACCP's info is "AmazonCorrettoCryptoProvider 2.5.0 (AWS-LC v1.47.0)": the library version matters.
        int library = info == null ? -1 : info.indexOf("(AWS-LC");
        return provider.getName() + " " + provider.getVersionStr() + (library < 0 ? "" : " " + info.substring(library));
    }

    private boolean nativeChecks(String algorithm, PublicKey key) {
        if (nativeProvider == null || algorithm == null) {
            return false;
        }
        if (NATIVE_ECDSA.contains(algorithm)) {
            return key instanceof ECKey ec && isP256OrP384(ec.getParams());
        }
        return NATIVE_RSA.contains(algorithm) && key instanceof RSAKey && "RSA".equals(key.getAlgorithm());
    }

    private static boolean plainParameters(AlgorithmIdentifier algorithm) {
        return algorithm.getParameters() == null
                || org.bouncycastle.asn1.DERNull.INSTANCE.equals(algorithm.getParameters());
    }

    private static boolean isP256OrP384(ECParameterSpec params) {
        return params != null && (sameCurve(params, P256) || sameCurve(params, P384));
    }

    /** By value, not by name: a key decoded from explicit parameters equal to a named curve is that curve. */
    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return b != null
                && a.getCurve().equals(b.getCurve())
                && a.getGenerator().equals(b.getGenerator())
                && a.getOrder().equals(b.getOrder())
                && a.getCofactor() == b.getCofactor();
    }

    private static ECParameterSpec namedCurve(String name) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(name));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            // Every JDK 17 has both curves; without them no EC key is sent to native crypto.
            return null;
        }
    }

    /** ACCP if its library loaded on this platform and its self-tests pass, else an exception saying why. */
    private static Provider loadCorretto() {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable loading = accp.getLoadingError();
        if (loading != null) {
            throw new IllegalStateException("its native library did not load: " + loading, loading);
        }
        accp.assertHealthy();
        return accp;
    }

    /** Read once, as documented: "false" turns native crypto off; an unreadable value too, with a warning. */
    static boolean switchedOn(String property, String environment) {
        String value = property != null ? property : environment;
        if (value == null || value.isBlank()) {
            return true;
        }
        String normalised = value.trim().toLowerCase(Locale.ROOT);
        if (normalised.equals("true")) {
            return true;
        }
        if (!normalised.equals("false")) {
            // An operator who set the switch meant something; off is the reading a crypto policy can live with.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0} / {1} is ''{2}'', neither true nor false: native crypto is off",
                    SWITCH_PROPERTY,
                    SWITCH_ENVIRONMENT,
                    value);
        }
        return false;
    }

    /** The JVM-wide instance, built on first use (class-loading is the "once"). */
    private static final class Jvm {
        static final CryptoProviders INSTANCE =
                create(switchedOn(System.getProperty(SWITCH_PROPERTY), System.getenv(SWITCH_ENVIRONMENT)));

        static {
            if (INSTANCE.nativeProvider == null && !INSTANCE.nativeAbsence.startsWith("turned off")) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "native crypto (Amazon Corretto Crypto Provider) {0}; the JDK''s providers and BouncyCastle"
                                + " do the work",
                        INSTANCE.nativeAbsence);
            }
        }

        private Jvm() {}
    }
}
