package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider choice: native crypto (ACCP) and BouncyCastle reach the same verdict on every holder signature tested,
 * what native crypto does not handle goes to BouncyCastle, the CA signs natively with a PKCS#12 key and through the
 * JDK without it, and a platform without the library falls back.
 */
class CryptoProvidersTest {

    private static final byte[] DATA = "CardRenew/v1 status\nnonce".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

    private static final CryptoProviders NATIVE = CryptoProviders.create(true);
    private static final CryptoProviders OFF = CryptoProviders.create(false);

    private static final KeyPair P256 = ec("secp256r1");
    private static final KeyPair P384 = ec("secp384r1");
    private static final KeyPair RSA = rsa();

    @TempDir
    Path dir;

    enum Verdict {
        ACCEPT,
        REFUSE
    }

    /** A holder's signature as it reaches the RA: algorithm, key, signed bytes, signature bytes. */
    record Presented(String algorithm, PublicKey key, byte[] data, byte[] signature) {}

    @Test
    void nativeCryptoLoadsOnLinuxX8664() {
        // Every other test here compares the two paths: on the platform the build runs on, both must exist.
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));

        assertThat(NATIVE.nativeProvider()).isPresent();
        assertThat(NATIVE.nativeAbsence()).isEmpty();
        assertThat(CryptoProviders.moduleName(NATIVE.nativeProvider().orElseThrow()))
                .startsWith("AmazonCorrettoCryptoProvider 2.5.0 (AWS-LC v");
        assertThat(NATIVE.holderModules()).startsWith("AmazonCorrettoCryptoProvider 2.5.0");
    }

    static Stream<Arguments> holderSignatures() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (KeyPair keys : List.of(P256, P384)) {
            String curve =
                    ((ECPublicKey) keys.getPublic()).getParams().getOrder().bitLength() > 256 ? "P-384" : "P-256";
            String algorithm = curve.equals("P-384") ? "SHA384withECDSA" : "SHA256withECDSA";
            byte[] der = sign(keys.getPrivate(), algorithm, DATA);
            byte[] plain = sign(keys.getPrivate(), algorithm + "inP1363Format", DATA);
            int half = plain.length / 2;
            BigInteger r = new BigInteger(1, Arrays.copyOf(plain, half));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(plain, half, plain.length));
            BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();
            PublicKey key = keys.getPublic();
            String p1363 = algorithm + "inP1363Format";
            cases.add(holder(curve + " valid", Verdict.ACCEPT, algorithm, key, DATA, der));
            cases.add(holder(curve + " message altered", Verdict.REFUSE, algorithm, key, altered(DATA), der));
            cases.add(holder(curve + " signature altered", Verdict.REFUSE, algorithm, key, DATA, altered(der)));
            cases.add(holder(
                    curve + " wrong key",
                    Verdict.REFUSE,
                    algorithm,
                    ec(curveName(curve)).getPublic(),
                    DATA,
                    der));
            cases.add(holder(curve + " not DER", Verdict.REFUSE, algorithm, key, DATA, new byte[] {1, 2, 3, 4, 5}));
            cases.add(holder(curve + " empty", Verdict.REFUSE, algorithm, key, DATA, new byte[0]));
            cases.add(holder(
                    curve + " truncated", Verdict.REFUSE, algorithm, key, DATA, Arrays.copyOf(der, der.length - 1)));
            cases.add(holder(
                    curve + " extended", Verdict.REFUSE, algorithm, key, DATA, Arrays.copyOf(der, der.length + 1)));
            cases.add(holder(curve + " r = 0", Verdict.REFUSE, algorithm, key, DATA, derSignature(BigInteger.ZERO, s)));
            cases.add(holder(curve + " s = 0", Verdict.REFUSE, algorithm, key, DATA, derSignature(r, BigInteger.ZERO)));
            cases.add(holder(curve + " s + n", Verdict.REFUSE, algorithm, key, DATA, derSignature(r, s.add(n))));
            cases.add(holder(curve + " r negative", Verdict.REFUSE, algorithm, key, DATA, derSignature(r.negate(), s)));
            cases.add(holder(
                    curve + " r with a needless leading zero (BER, not DER)",
                    Verdict.REFUSE,
                    algorithm,
                    key,
                    DATA,
                    derSequence(concat(new byte[] {0}, r.toByteArray()), s.toByteArray())));
            // ECDSA is malleable: (r, n - s) is valid too, in every provider.
            cases.add(holder(curve + " n - s", Verdict.ACCEPT, algorithm, key, DATA, derSignature(r, n.subtract(s))));
            cases.add(holder(curve + " r||s for a DER algorithm", Verdict.REFUSE, algorithm, key, DATA, plain));
            cases.add(holder(curve + " r||s valid", Verdict.ACCEPT, p1363, key, DATA, plain));
            cases.add(holder(curve + " r||s altered", Verdict.REFUSE, p1363, key, DATA, altered(plain)));
            cases.add(holder(
                    curve + " r||s truncated", Verdict.REFUSE, p1363, key, DATA, Arrays.copyOf(plain, 2 * half - 1)));
            cases.add(holder(
                    curve + " r||s extended", Verdict.REFUSE, p1363, key, DATA, Arrays.copyOf(plain, 2 * half + 1)));
            cases.add(holder(curve + " r||s with r = 0", Verdict.REFUSE, p1363, key, DATA, zeroed(plain, 0, half)));
            cases.add(holder(
                    curve + " r||s with s = 0", Verdict.REFUSE, p1363, key, DATA, zeroed(plain, half, 2 * half)));
            cases.add(holder(curve + " DER for an r||s algorithm", Verdict.REFUSE, p1363, key, DATA, der));
        }
        // A hash other than the curve's own: allowed in CSRs (ecdsa-with-SHA384/512), handled natively too.
        for (String other : List.of("SHA384withECDSA", "SHA512withECDSA")) {
            byte[] der = sign(P256.getPrivate(), other, DATA);
            cases.add(holder("P-256 " + other + " valid", Verdict.ACCEPT, other, P256.getPublic(), DATA, der));
            cases.add(
                    holder("P-256 " + other + " altered", Verdict.REFUSE, other, P256.getPublic(), DATA, altered(der)));
        }
        PublicKey key = RSA.getPublic();
        byte[] rsa = sign(RSA.getPrivate(), "SHA256withRSA", DATA);
        cases.add(holder("RSA-2048 valid", Verdict.ACCEPT, "SHA256withRSA", key, DATA, rsa));
        cases.add(holder(
                "RSA-2048 SHA-384 valid",
                Verdict.ACCEPT,
                "SHA384withRSA",
                key,
                DATA,
                sign(RSA.getPrivate(), "SHA384withRSA", DATA)));
        cases.add(holder(
                "RSA-2048 SHA-512 valid",
                Verdict.ACCEPT,
                "SHA512withRSA",
                key,
                DATA,
                sign(RSA.getPrivate(), "SHA512withRSA", DATA)));
        cases.add(holder("RSA-2048 message altered", Verdict.REFUSE, "SHA256withRSA", key, altered(DATA), rsa));
        cases.add(holder("RSA-2048 signature altered", Verdict.REFUSE, "SHA256withRSA", key, DATA, altered(rsa)));
        cases.add(holder("RSA-2048 wrong key", Verdict.REFUSE, "SHA256withRSA", rsa().getPublic(), DATA, rsa));
        cases.add(holder("RSA-2048 wrong hash", Verdict.REFUSE, "SHA384withRSA", key, DATA, rsa));
        cases.add(holder(
                "RSA-2048 not a signature", Verdict.REFUSE, "SHA256withRSA", key, DATA, new byte[] {1, 2, 3, 4, 5}));
        cases.add(holder(
                "RSA-2048 truncated", Verdict.REFUSE, "SHA256withRSA", key, DATA, Arrays.copyOf(rsa, rsa.length - 1)));
        cases.add(holder(
                "RSA-2048 extended", Verdict.REFUSE, "SHA256withRSA", key, DATA, Arrays.copyOf(rsa, rsa.length + 1)));
        cases.add(holder("RSA-2048 s = 0", Verdict.REFUSE, "SHA256withRSA", key, DATA, new byte[256]));
        byte[] one = new byte[256];
        one[255] = 1;
        cases.add(holder("RSA-2048 s = 1", Verdict.REFUSE, "SHA256withRSA", key, DATA, one));
        byte[] large = new byte[256];
        Arrays.fill(large, (byte) 0xff);
        cases.add(holder("RSA-2048 s >= n", Verdict.REFUSE, "SHA256withRSA", key, DATA, large));
        // Two lenient cases BouncyCastle accepts and AWS-LC refuses: BouncyCastle keeps the last word on them.
        cases.add(holder(
                "RSA-2048 DigestInfo without NULL parameters",
                Verdict.ACCEPT,
                "SHA256withRSA",
                key,
                DATA,
                rawRsa(RSA.getPrivate(), digestInfoWithoutNull(DATA))));
        Presented shortOne = leadingZeroStripped();
        cases.add(holder(
                "RSA-2048 one byte short (a leading zero dropped)",
                Verdict.ACCEPT,
                shortOne.algorithm(),
                shortOne.key(),
                shortOne.data(),
                shortOne.signature()));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("holderSignatures")
    void nativeCryptoAndBouncyCastleReachTheSameVerdict(Presented presented, Verdict expected) {
        assertThat(verdict(OFF, presented)).as("BouncyCastle").isEqualTo(expected);
        assertThat(verdict(NATIVE, presented)).as("native crypto").isEqualTo(expected);
    }

    @Test
    void theNativeAlgorithmsAreCheckedByTheNativeProvider() {
        Provider accp = accp();

        assertThat(NATIVE.holderProvider("SHA256withECDSA", P256.getPublic())).isSameAs(accp);
        assertThat(NATIVE.holderProvider("SHA384withECDSA", P384.getPublic())).isSameAs(accp);
        assertThat(NATIVE.holderProvider("SHA256withECDSAinP1363Format", P256.getPublic()))
                .isSameAs(accp);
        assertThat(NATIVE.holderProvider("SHA256withRSA", RSA.getPublic())).isSameAs(accp);
        assertThat(OFF.holderProvider("SHA256withECDSA", P256.getPublic()).getName())
                .isEqualTo("BC");
    }

    @Test
    void whatNativeCryptoDoesNotHandleGoesToBouncyCastle() throws Exception {
        KeyPair k1 = secp256k1();

        assertThat(NATIVE.holderProvider("SHA256withRSAandMGF1", RSA.getPublic())
                        .getName())
                .isEqualTo("BC");
        assertThat(NATIVE.holderProvider("RSASSA-PSS", RSA.getPublic()).getName())
                .isEqualTo("BC");
        assertThat(NATIVE.holderProvider("SHA256withECDSA", k1.getPublic()).getName())
                .isEqualTo("BC");
        assertThat(NATIVE.holderProvider("SHA1withRSA", RSA.getPublic()).getName())
                .isEqualTo("BC");
        // An ECDSA name with an RSA key is BouncyCastle's to refuse, as before.
        assertThat(NATIVE.holderProvider("SHA256withECDSA", RSA.getPublic()).getName())
                .isEqualTo("BC");
    }

    @Test
    void aSignatureOnAnotherCurveIsJudgedByBouncyCastleWithoutAskingTheNativeProvider() throws Exception {
        Spy spy = new Spy(accp());
        CryptoProviders providers = CryptoProviders.create(true, () -> spy);
        KeyPair k1 = secp256k1();
        byte[] signature = sign(k1.getPrivate(), "SHA256withECDSA", DATA, new BouncyCastleProvider());

        assertThat(providers.holderSignatureVerifies("SHA256withECDSA", k1.getPublic(), DATA, signature))
                .isTrue();
        assertThat(spy.asked()).isEmpty();

        byte[] p256 = sign(P256.getPrivate(), "SHA256withECDSA", DATA);
        assertThat(providers.holderSignatureVerifies("SHA256withECDSA", P256.getPublic(), DATA, p256))
                .isTrue();
        assertThat(spy.asked()).containsExactly("Signature SHA256withECDSA");
    }

    @Test
    void aPssCsrIsVerifiedByBouncyCastleAndAnEcdsaCsrByTheNativeProvider() throws Exception {
        Spy spy = new Spy(accp());
        CryptoProviders providers = CryptoProviders.create(true, () -> spy);
        JcaContentSignerBuilder pss = new JcaContentSignerBuilder(
                        "SHA256withRSAandMGF1",
                        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1))
                .setProvider(new BouncyCastleProvider());
        PKCS10CertificationRequest pssCsr = csr(RSA, pss.build(RSA.getPrivate()));

        assertThat(pssCsr.isSignatureValid(providers.holderContentVerifier(RSA.getPublic())))
                .isTrue();
        assertThat(spy.asked()).isEmpty();

        PKCS10CertificationRequest ecCsr =
                csr(P256, new JcaContentSignerBuilder("SHA256withECDSA").build(P256.getPrivate()));
        assertThat(ecCsr.isSignatureValid(providers.holderContentVerifier(P256.getPublic())))
                .isTrue();
        assertThat(spy.asked()).anyMatch(asked -> asked.equalsIgnoreCase("Signature SHA256withECDSA"));
    }

    /**
     * Issue 14: one native signature object per proof of possession. BouncyCastle's verifier builder also asked the
     * native provider for a raw signature and had it convert the holder's key a second time, which made a PKCS#10
     * proof cost about twice a plain native check.
     */
    @Test
    void aCsrProofAsksTheNativeProviderForOneSignatureOnly() throws Exception {
        Spy spy = new Spy(accp());
        CryptoProviders providers = CryptoProviders.create(true, () -> spy);
        PKCS10CertificationRequest ecCsr =
                csr(P256, new JcaContentSignerBuilder("SHA256withECDSA").build(P256.getPrivate()));

        assertThat(ecCsr.isSignatureValid(providers.holderContentVerifier(P256.getPublic())))
                .isTrue();
        assertThat(spy.asked())
                .filteredOn(asked -> asked.startsWith("Signature "))
                .hasSize(1);
    }

    static Stream<Arguments> csrs() throws Exception {
        ContentSigner rsa = new JcaContentSignerBuilder("SHA256withRSA").build(RSA.getPrivate());
        ContentSigner p256 = new JcaContentSignerBuilder("SHA256withECDSA").build(P256.getPrivate());
        ContentSigner p384 = new JcaContentSignerBuilder("SHA384withECDSA").build(P384.getPrivate());
        byte[] rsaCsr = csr(RSA, rsa).getEncoded();
        byte[] p256Csr = csr(P256, p256).getEncoded();
        return Stream.of(
                Arguments.of(Named.of("RSA-2048 valid", rsaCsr), RSA.getPublic(), Verdict.ACCEPT),
                Arguments.of(
                        Named.of("RSA-2048 signature altered", alteredAtEnd(rsaCsr)), RSA.getPublic(), Verdict.REFUSE),
                Arguments.of(Named.of("RSA-2048 by another key", rsaCsr), rsa().getPublic(), Verdict.REFUSE),
                Arguments.of(
                        Named.of(
                                "RSA-2048 DigestInfo without NULL",
                                csr(RSA, new DigestInfoWithoutNull(RSA.getPrivate()))
                                        .getEncoded()),
                        RSA.getPublic(),
                        Verdict.ACCEPT),
                Arguments.of(Named.of("P-256 valid", p256Csr), P256.getPublic(), Verdict.ACCEPT),
                Arguments.of(
                        Named.of("P-256 signature altered", alteredAtEnd(p256Csr)), P256.getPublic(), Verdict.REFUSE),
                Arguments.of(Named.of("P-384 valid", csr(P384, p384).getEncoded()), P384.getPublic(), Verdict.ACCEPT));
    }

    @ParameterizedTest
    @MethodSource("csrs")
    void csrProofsOfPossessionReachTheSameVerdictNativeOrNot(byte[] der, PublicKey key, Verdict expected) {
        assertThat(csrVerdict(OFF, der, key)).as("BouncyCastle").isEqualTo(expected);
        assertThat(csrVerdict(NATIVE, der, key)).as("native crypto").isEqualTo(expected);
    }

    static Stream<Arguments> caKeys() {
        return Stream.of(
                Arguments.of(CaKeyType.RSA_2048, "SHA256withRSA", "SunRsaSign"),
                Arguments.of(CaKeyType.P256, "SHA256withECDSA", "SunEC"),
                Arguments.of(CaKeyType.P384, "SHA384withECDSA", "SunEC"));
    }

    @ParameterizedTest
    @MethodSource("caKeys")
    void theCaSignsThroughTheNativeProviderWithAPkcs12KeyAndTheJdkVerifies(
            CaKeyType type, String algorithm, String jdkProvider) throws Exception {
        Spy spy = new Spy(accp());
        EmbeddedCa ca = spiedCa(type, spy);

        X509Certificate issued = issue(ca);

        assertThat(ca.signingModule()).startsWith("AmazonCorrettoCryptoProvider 2.5.0");
        // The key was translated once, and the signature made natively.
        assertThat(spy.asked()).anyMatch(asked -> asked.equalsIgnoreCase("KeyFactory " + type.keyAlgorithm()));
        assertThat(spy.asked()).anyMatch(asked -> asked.equalsIgnoreCase("Signature " + algorithm));
        issued.verify(ca.chain().get(0).getPublicKey(), java.security.Security.getProvider(jdkProvider));
        assertThat(ca.isIssuerOf(issued)).isTrue();
    }

    /**
     * Issue 14: every card authentication checks a certificate parsed from the request, so the issuer check runs where
     * the CA checks its own signatures (natively with a PKCS#12 key) and compares the name as encoded first. Natively
     * or not, the same verdicts: its own certificate; not one of another CA key under the same name; not one whose
     * signature was altered; one its key signed with the issuer name encoded otherwise but equal by RFC 5280's rules;
     * not one its key signed with another issuer name.
     */
    @ParameterizedTest
    @MethodSource("caKeys")
    void theIssuerCheckOfAPresentedCertificateRunsWhereTheCaChecksItsSignatures(
            CaKeyType type, String algorithm, String jdkProvider) throws Exception {
        EmbeddedCa sameCaOff = EmbeddedCa.openOrCreate(settings(type), CaFixture.CLOCK, OFF);
        assertThat(sameCaOff.signingModule()).startsWith(jdkProvider + " ");
        Spy spy = new Spy(accp());
        EmbeddedCa ca = spiedCa(type, spy);
        EmbeddedCa otherCa = EmbeddedCa.openOrCreate(
                CaSettings.pkcs12(dir.resolve("other-" + type.configName() + ".p12"), CaFixture.PASSWORD.clone())
                        .withKeyType(type),
                CaFixture.CLOCK,
                OFF);
        X509Certificate issuing = ca.chain().get(0);
        PrivateKey caKey = issuingKey(dir.resolve("ca-" + type.configName() + ".p12"));
        X500Name reEncoded =
                reEncoded(X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()));
        assertThat(reEncoded.getEncoded())
                .isNotEqualTo(issuing.getSubjectX500Principal().getEncoded());
        assertThat(new X500Principal(reEncoded.getEncoded())).isEqualTo(issuing.getSubjectX500Principal());
        byte[] own = issue(ca).getEncoded();
        byte[] anotherKey = issue(otherCa).getEncoded();
        assertThat(fresh(anotherKey).getIssuerX500Principal()).isEqualTo(issuing.getSubjectX500Principal());
        byte[] nameEncodedOtherwise = signedWithIssuer(reEncoded, caKey, algorithm);
        byte[] anotherName =
                signedWithIssuer(new X500Name("CN=Another Issuing CA, O=CardRenew, C=TW"), caKey, algorithm);
        int before = spy.asked().size();

        for (EmbeddedCa checking : List.of(ca, sameCaOff)) {
            assertThat(checking.isIssuerOf(fresh(own))).isTrue();
            assertThat(checking.isIssuerOf(fresh(anotherKey))).isFalse();
            assertThat(checking.isIssuerOf(fresh(alteredAtEnd(own)))).isFalse();
            assertThat(checking.isIssuerOf(fresh(nameEncodedOtherwise))).isTrue();
            assertThat(checking.isIssuerOf(fresh(anotherName))).isFalse();
        }
        assertThat(spy.asked().subList(before, spy.asked().size()))
                .anyMatch(asked -> asked.equalsIgnoreCase("Signature " + algorithm));
    }

    @ParameterizedTest
    @MethodSource("caKeys")
    void withNativeCryptoOffTheCaSignsThroughTheJdk(CaKeyType type, String algorithm, String jdkProvider)
            throws Exception {
        EmbeddedCa ca = EmbeddedCa.openOrCreate(settings(type), CaFixture.CLOCK, OFF);

        X509Certificate issued = issue(ca);

        assertThat(ca.signingModule()).startsWith(jdkProvider + " ");
        issued.verify(ca.chain().get(0).getPublicKey(), java.security.Security.getProvider(jdkProvider));
    }

    @Test
    void aCaCreatedWithNativeCryptoOpensWithoutItAndTheOtherWayRound() throws Exception {
        EmbeddedCa created = EmbeddedCa.openOrCreate(settings(CaKeyType.RSA_2048), CaFixture.CLOCK, NATIVE);
        EmbeddedCa reopened = EmbeddedCa.openOrCreate(settings(CaKeyType.RSA_2048), CaFixture.CLOCK, OFF);

        assertThat(reopened.chain()).isEqualTo(created.chain());
        assertThat(created.isIssuerOf(issue(reopened))).isTrue();
        assertThat(reopened.isIssuerOf(issue(created))).isTrue();
    }

    @Test
    void whenTheNativeLibraryCannotLoadEverythingFallsBackToTheJdkAndBouncyCastle() throws Exception {
        CryptoProviders unloadable = CryptoProviders.create(true, () -> {
            throw new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path (simulated)");
        });

        assertThat(unloadable.nativeProvider()).isEmpty();
        assertThat(unloadable.nativeAbsence().orElseThrow())
                .contains("cannot be used")
                .contains("UnsatisfiedLinkError");
        assertThat(unloadable
                        .holderProvider("SHA256withECDSA", P256.getPublic())
                        .getName())
                .isEqualTo("BC");
        assertThat(unloadable.holderModules()).startsWith("BC ").contains("native crypto cannot be used");
        byte[] signature = sign(P256.getPrivate(), "SHA256withECDSA", DATA);
        assertThat(unloadable.holderSignatureVerifies("SHA256withECDSA", P256.getPublic(), DATA, signature))
                .isTrue();
        EmbeddedCa ca = EmbeddedCa.openOrCreate(settings(CaKeyType.RSA_2048), CaFixture.CLOCK, unloadable);
        assertThat(ca.signingModule()).startsWith("SunRsaSign ");
        issue(ca).verify(ca.chain().get(0).getPublicKey());
    }

    @Test
    void whenTheSelfTestsFailTheNativeProviderIsNotUsed() {
        CryptoProviders unhealthy = CryptoProviders.create(true, () -> {
            throw new IllegalStateException("self-test SHA256withRSA failed (simulated)");
        });

        assertThat(unhealthy.nativeProvider()).isEmpty();
        assertThat(unhealthy.nativeAbsence().orElseThrow()).contains("self-test SHA256withRSA failed");
    }

    @Test
    void turnedOffMeansNoNativeProviderEvenWhereItLoads() {
        assertThat(OFF.nativeProvider()).isEmpty();
        assertThat(OFF.nativeAbsence().orElseThrow()).startsWith("turned off");
    }

    @ParameterizedTest(name = "property={0} environment={1} -> {2}")
    @CsvSource(
            nullValues = "unset",
            value = {
                "unset, unset, true",
                "false, unset, false",
                "unset, false, false",
                "FALSE, unset, false",
                "true, false, true",
                "false, true, false",
                "' true ', unset, true",
                "off, unset, false",
                "'', unset, true"
            })
    void theSwitchIsReadFromThePropertyThenTheEnvironment(String property, String environment, boolean on) {
        assertThat(CryptoProviders.switchedOn(property, environment)).isEqualTo(on);
    }

    // --- helpers ---

    /** A provider that records what it is asked for and hands out the native provider's services. */
    static final class Spy extends Provider {
        private final transient Provider inner;
        private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

        Spy(Provider inner) {
            super(inner.getName(), inner.getVersionStr(), inner.getInfo());
            this.inner = inner;
        }

        @Override
        public Service getService(String type, String algorithm) {
            asked.add(type + " " + algorithm);
            return inner.getService(type, algorithm);
        }

        List<String> asked() {
            return List.copyOf(asked);
        }
    }

    /** A PKCS#1 v1.5 signer that leaves the NULL parameters out of the DigestInfo, as some old signers do. */
    private static final class DigestInfoWithoutNull implements ContentSigner {
        private final PrivateKey key;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();

        DigestInfoWithoutNull(PrivateKey key) {
            this.key = key;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withRSA");
        }

        @Override
        public OutputStream getOutputStream() {
            return content;
        }

        @Override
        public byte[] getSignature() {
            try {
                return rawRsa(key, digestInfoWithoutNull(content.toByteArray()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Verdict verdict(CryptoProviders providers, Presented p) {
        try {
            return providers.holderSignatureVerifies(p.algorithm(), p.key(), p.data(), p.signature())
                    ? Verdict.ACCEPT
                    : Verdict.REFUSE;
        } catch (GeneralSecurityException | RuntimeException refused) {
            // Both are refusals where the RA calls this (CardSignature catches both).
            return Verdict.REFUSE;
        }
    }

    private static Verdict csrVerdict(CryptoProviders providers, byte[] der, PublicKey key) {
        try {
            return new PKCS10CertificationRequest(der).isSignatureValid(providers.holderContentVerifier(key))
                    ? Verdict.ACCEPT
                    : Verdict.REFUSE;
        } catch (Exception refused) {
            // CertificationRequest.parse turns each of these into CSR_SIGNATURE_INVALID.
            return Verdict.REFUSE;
        }
    }

    private static Arguments holder(
            String name, Verdict expected, String algorithm, PublicKey key, byte[] data, byte[] signature) {
        return Arguments.of(Named.of(name, new Presented(algorithm, key, data, signature)), expected);
    }

    /** The CA of {@code type} with native crypto through {@code spy}. */
    private EmbeddedCa spiedCa(CaKeyType type, Spy spy) {
        return EmbeddedCa.openOrCreate(settings(type), CaFixture.CLOCK, CryptoProviders.create(true, () -> spy));
    }

    private CaSettings settings(CaKeyType type) {
        return CaSettings.pkcs12(dir.resolve("ca-" + type.configName() + ".p12"), CaFixture.PASSWORD.clone())
                .withKeyType(type);
    }

    /** A certificate as a request brings it: parsed anew, nothing of a check cached in it (the JDK's cache skipped). */
    private static X509Certificate fresh(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(der))
                .iterator()
                .next();
    }

    private static PrivateKey issuingKey(Path pkcs12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, CaFixture.PASSWORD.clone());
        }
        return (PrivateKey) store.getKey(EmbeddedCa.ISSUING_ALIAS, CaFixture.PASSWORD.clone());
    }

    /** The same name with each value in the other string type (PrintableString and UTF8String swapped). */
    private static X500Name reEncoded(X500Name name) {
        X500NameBuilder builder = new X500NameBuilder();
        for (RDN rdn : name.getRDNs()) {
            AttributeTypeAndValue value = rdn.getFirst();
            String text = ((ASN1String) value.getValue()).getString();
            builder.addRDN(
                    value.getType(),
                    value.getValue() instanceof DERPrintableString
                            ? new DERUTF8String(text)
                            : new DERPrintableString(text));
        }
        return builder.build();
    }

    private static byte[] signedWithIssuer(X500Name issuer, PrivateKey key, String algorithm) throws Exception {
        return new JcaX509v3CertificateBuilder(
                        issuer,
                        BigInteger.valueOf(NOW.toEpochMilli()),
                        Date.from(NOW),
                        Date.from(NOW.plusSeconds(86_400)),
                        new X500Name("CN=Holder, C=TW"),
                        P256.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(key))
                .getEncoded();
    }

    private static X509Certificate issue(EmbeddedCa ca) throws Exception {
        return ca.issue(new IssuanceRequest(
                        new X500Principal("SERIALNUMBER=A123456789, CN=Holder, O=Agency, C=TW"),
                        P256.getPublic(),
                        CertificateProfile.SIGNING,
                        NOW,
                        NOW.plusSeconds(86_400)))
                .certificate();
    }

    private static PKCS10CertificationRequest csr(KeyPair keys, ContentSigner signer) {
        return new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=Holder, C=TW"), keys.getPublic())
                .build(signer);
    }

    /** The holder with a signature whose first byte is zero, sent without it (found by trying messages). */
    private static Presented leadingZeroStripped() throws GeneralSecurityException {
        for (int i = 0; ; i++) {
            byte[] data = ("CardRenew/v1 status\nnonce-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] signature = sign(RSA.getPrivate(), "SHA256withRSA", data);
            if (signature[0] == 0) {
                return new Presented(
                        "SHA256withRSA", RSA.getPublic(), data, Arrays.copyOfRange(signature, 1, signature.length));
            }
        }
    }

    private static byte[] digestInfoWithoutNull(byte[] data) throws GeneralSecurityException {
        // SEQUENCE { SEQUENCE { OID sha256 } OCTET STRING hash }: RFC 8017 §9.2 has NULL after the OID.
        byte[] prefix = {
            0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20
        };
        return concat(prefix, MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] rawRsa(PrivateKey key, byte[] digestInfo) throws GeneralSecurityException {
        Signature raw = Signature.getInstance("NONEwithRSA");
        raw.initSign(key);
        raw.update(digestInfo);
        return raw.sign();
    }

    private static byte[] sign(PrivateKey key, String algorithm, byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(data);
        return signer.sign();
    }

    private static byte[] sign(PrivateKey key, String algorithm, byte[] data, Provider provider)
            throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm, provider);
        signer.initSign(key);
        signer.update(data);
        return signer.sign();
    }

    private static byte[] derSignature(BigInteger r, BigInteger s) {
        return derSequence(r.toByteArray(), s.toByteArray());
    }

    /** SEQUENCE { INTEGER r, INTEGER s } with the integers' bytes as given (short-form lengths only). */
    private static byte[] derSequence(byte[] r, byte[] s) {
        byte[] body = concat(concat(new byte[] {2, (byte) r.length}, r), concat(new byte[] {2, (byte) s.length}, s));
        return concat(new byte[] {0x30, (byte) body.length}, body);
    }

    private static byte[] altered(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    /** The last byte of a CSR is the last byte of its signature. */
    private static byte[] alteredAtEnd(byte[] der) {
        byte[] copy = der.clone();
        copy[copy.length - 1] ^= 0x01;
        return copy;
    }

    private static byte[] zeroed(byte[] bytes, int from, int to) {
        byte[] copy = bytes.clone();
        Arrays.fill(copy, from, to, (byte) 0);
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String curveName(String label) {
        return label.equals("P-384") ? "secp384r1" : "secp256r1";
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** secp256k1: not one of native crypto's curves here (and gone from SunEC since JDK 16). */
    private static KeyPair secp256k1() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("secp256k1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The native provider, where the platform has it (nativeCryptoLoadsOnLinuxX8664 insists it does here). */
    private static Provider accp() {
        assumeTrue(NATIVE.nativeProvider().isPresent(), "no native crypto on this platform");
        return NATIVE.nativeProvider().orElseThrow();
    }
}
