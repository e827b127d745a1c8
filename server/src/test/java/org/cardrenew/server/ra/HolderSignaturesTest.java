package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cardrenew.ca.CryptoProviders;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.testsupport.Csrs;
import org.cardrenew.server.testsupport.Keys;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RA's holder signature checks through the JVM's provider choice (native crypto here): every malformed or wrong
 * signature is the step's refusal code, never another exception (a 500), and what native crypto does not take is
 * still checked. The verdicts of the two providers are compared case by case in the ca module's CryptoProvidersTest.
 */
class HolderSignaturesTest {

    private static final byte[] PAYLOAD = "CardRenew/v1 status\nnonce".getBytes(StandardCharsets.UTF_8);
    private static final X500Principal SUBJECT =
            new X500Principal("SERIALNUMBER=A123456789, CN=Holder, O=Agency, C=TW");

    private static final KeyPair P256 = Keys.p256();
    private static final KeyPair P384 = Keys.ec("secp384r1");
    private static final KeyPair RSA = Keys.rsa(2048);

    @Test
    void theRaChecksHolderSignaturesThroughNativeCryptoOnThisPlatform() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));

        assertThat(CryptoProviders.jvm()
                        .holderProvider("SHA256withECDSA", P256.getPublic())
                        .getName())
                .isEqualTo("AmazonCorrettoCryptoProvider");
    }

    static Stream<Arguments> validSignatures() throws Exception {
        return Stream.of(
                Arguments.of(
                        Named.of("P-256 DER", P256), "SHA256withECDSA", sign(P256.getPrivate(), "SHA256withECDSA")),
                Arguments.of(
                        Named.of("P-256 r||s (PKCS#11 CKM_ECDSA)", P256),
                        "SHA256withECDSA",
                        sign(P256.getPrivate(), "SHA256withECDSAinP1363Format")),
                Arguments.of(
                        Named.of("P-384 DER", P384), "SHA384withECDSA", sign(P384.getPrivate(), "SHA384withECDSA")),
                Arguments.of(
                        Named.of("P-384 r||s", P384),
                        "SHA384withECDSA",
                        sign(P384.getPrivate(), "SHA384withECDSAinP1363Format")),
                Arguments.of(
                        Named.of("RSA-2048 SHA-256", RSA), "SHA256withRSA", sign(RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of(
                        Named.of("RSA-2048 SHA-512", RSA), "SHA512withRSA", sign(RSA.getPrivate(), "SHA512withRSA")));
    }

    @ParameterizedTest
    @MethodSource("validSignatures")
    void aValidCardSignatureIsAccepted(KeyPair keys, String algorithm, byte[] signature) {
        assertThatCode(() -> CardSignature.verify(
                        keys.getPublic(),
                        algorithm,
                        PAYLOAD,
                        Base64.getEncoder().encodeToString(signature),
                        ErrorCode.SIGNATURE_INVALID))
                .doesNotThrowAnyException();
    }

    static Stream<Arguments> refusedSignatures() throws Exception {
        byte[] p256 = sign(P256.getPrivate(), "SHA256withECDSA");
        byte[] plain = sign(P256.getPrivate(), "SHA256withECDSAinP1363Format");
        BigInteger r = new BigInteger(1, Arrays.copyOf(plain, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(plain, 32, 64));
        BigInteger n = ((ECPublicKey) P256.getPublic()).getParams().getOrder();
        byte[] rsa = sign(RSA.getPrivate(), "SHA256withRSA");
        return Stream.of(
                refused("P-256 signature altered", P256, "SHA256withECDSA", altered(p256)),
                refused("P-256 by another key", Keys.p256(), "SHA256withECDSA", p256),
                refused("P-256 not DER", P256, "SHA256withECDSA", new byte[] {1, 2, 3, 4, 5}),
                refused("P-256 truncated", P256, "SHA256withECDSA", Arrays.copyOf(p256, p256.length - 1)),
                refused("P-256 extended", P256, "SHA256withECDSA", Arrays.copyOf(p256, p256.length + 1)),
                refused("P-256 r = 0", P256, "SHA256withECDSA", der(BigInteger.ZERO, s)),
                refused("P-256 s = 0", P256, "SHA256withECDSA", der(r, BigInteger.ZERO)),
                refused("P-256 s + n", P256, "SHA256withECDSA", der(r, s.add(n))),
                refused("P-256 r||s truncated", P256, "SHA256withECDSA", Arrays.copyOf(plain, 63)),
                refused("P-256 r||s zeros", P256, "SHA256withECDSA", new byte[64]),
                refused("RSA-2048 signature altered", RSA, "SHA256withRSA", altered(rsa)),
                refused("RSA-2048 truncated", RSA, "SHA256withRSA", Arrays.copyOf(rsa, 200)),
                refused("RSA-2048 extended", RSA, "SHA256withRSA", Arrays.copyOf(rsa, 257)),
                refused("RSA-2048 zeros", RSA, "SHA256withRSA", new byte[256]),
                refused("RSA-2048 wrong hash", RSA, "SHA384withRSA", rsa));
    }

    @ParameterizedTest
    @MethodSource("refusedSignatures")
    void aMalformedOrWrongCardSignatureIsTheStepsRefusalCode(KeyPair keys, String algorithm, byte[] signature) {
        assertThatThrownBy(() -> CardSignature.verify(
                        keys.getPublic(),
                        algorithm,
                        PAYLOAD,
                        Base64.getEncoder().encodeToString(signature),
                        ErrorCode.SIGNATURE_INVALID))
                .isInstanceOfSatisfying(
                        RaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_INVALID));
    }

    @Test
    void aCsrSignedWithRsaPssIsAcceptedThroughBouncyCastle() throws Exception {
        byte[] der = new JcaPKCS10CertificationRequestBuilder(SUBJECT, RSA.getPublic())
                .build(new JcaContentSignerBuilder(
                                "SHA256withRSAandMGF1",
                                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1))
                        .setProvider(new BouncyCastleProvider())
                        .build(RSA.getPrivate()))
                .getEncoded();

        CertificationRequest csr =
                CertificationRequest.parse(Base64.getEncoder().encodeToString(der), "csr");

        assertThat(csr.publicKey()).isEqualTo(RSA.getPublic());
        assertThat(CryptoProviders.jvm()
                        .holderProvider("SHA256withRSAandMGF1", RSA.getPublic())
                        .getName())
                .isEqualTo("BC");
    }

    static Stream<Arguments> validCsrs() {
        return Stream.of(
                Arguments.of(Named.of("P-256", P256)),
                Arguments.of(Named.of("P-384", P384)),
                Arguments.of(Named.of("RSA-2048", RSA)));
    }

    @ParameterizedTest
    @MethodSource("validCsrs")
    void aCsrSignedByItsOwnKeyIsAccepted(KeyPair keys) {
        CertificationRequest csr = CertificationRequest.parse(Csrs.of(keys, SUBJECT), "csr");

        assertThat(csr.publicKey()).isEqualTo(keys.getPublic());
    }

    static Stream<Arguments> refusedCsrs() throws Exception {
        PKCS10CertificationRequest valid =
                new PKCS10CertificationRequest(Csrs.der(P256.getPublic(), P256.getPrivate(), SUBJECT));
        byte[] signature = valid.getSignature();
        org.bouncycastle.asn1.ASN1Sequence rs = org.bouncycastle.asn1.ASN1Sequence.getInstance(signature);
        BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
        PKCS10CertificationRequest rsa =
                new PKCS10CertificationRequest(Csrs.der(RSA.getPublic(), RSA.getPrivate(), SUBJECT));
        return Stream.of(
                Arguments.of(Named.of("P-256 signature altered", withSignature(valid, altered(signature)))),
                Arguments.of(Named.of("P-256 signature not DER", withSignature(valid, new byte[] {1, 2, 3, 4, 5}))),
                Arguments.of(Named.of("P-256 r = 0", withSignature(valid, der(BigInteger.ZERO, s)))),
                Arguments.of(Named.of("P-256 s = 0", withSignature(valid, der(r, BigInteger.ZERO)))),
                Arguments.of(Named.of(
                        "P-256 signed by another key",
                        Csrs.der(P256.getPublic(), Keys.p256().getPrivate(), SUBJECT))),
                Arguments.of(Named.of("RSA-2048 signature altered", withSignature(rsa, altered(rsa.getSignature())))),
                Arguments.of(Named.of(
                        "RSA-2048 signature truncated", withSignature(rsa, Arrays.copyOf(rsa.getSignature(), 255)))));
    }

    @ParameterizedTest
    @MethodSource("refusedCsrs")
    void aCsrWhoseProofOfPossessionFailsIsCsrSignatureInvalid(byte[] der) {
        assertThatThrownBy(() -> CertificationRequest.parse(Base64.getEncoder().encodeToString(der), "csr"))
                .isInstanceOfSatisfying(
                        RaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CSR_SIGNATURE_INVALID));
    }

    private static Arguments refused(String name, KeyPair keys, String algorithm, byte[] signature) {
        return Arguments.of(Named.of(name, keys), algorithm, signature);
    }

    private static byte[] sign(PrivateKey key, String algorithm) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PAYLOAD);
        return signer.sign();
    }

    private static byte[] der(BigInteger r, BigInteger s) throws java.io.IOException {
        return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)})
                .getEncoded();
    }

    private static byte[] altered(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    /** The same request with other signature bytes (the DER structure stays valid, so only the check can fail). */
    private static byte[] withSignature(PKCS10CertificationRequest csr, byte[] signature) throws java.io.IOException {
        org.bouncycastle.asn1.pkcs.CertificationRequest structure = csr.toASN1Structure();
        return new org.bouncycastle.asn1.pkcs.CertificationRequest(
                        structure.getCertificationRequestInfo(),
                        structure.getSignatureAlgorithm(),
                        new DERBitString(signature))
                .getEncoded("DER");
    }
}
