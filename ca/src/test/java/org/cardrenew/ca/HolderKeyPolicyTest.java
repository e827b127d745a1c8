package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HolderKeyPolicyTest {

    static Stream<Arguments> keys() throws Exception {
        return Stream.of(
                allowed("ok/rsa2048", CaFixture.rsaKey(2048), "rsa2048"),
                allowed("ok/rsa3072", CaFixture.rsaKey(3072), "rsa3072"),
                allowed("ok/rsa4096", CaFixture.rsaKey(4096), "rsa4096"),
                allowed("ok/p256", CaFixture.ecKey("secp256r1"), "p256"),
                allowed("ok/p384", CaFixture.ecKey("secp384r1"), "p384"),
                // BouncyCastle's encoding of the same curve is judged the same way: by the named-curve OID.
                allowed("ok/p256-from-bouncycastle", CaFixture.ecKey("secp256r1", new BouncyCastleProvider()), "p256"),
                refused("fail/rsa1024", CaFixture.rsaKey(1024)),
                refused("fail/rsa2047", CaFixture.rsaKey(2047)),
                refused("fail/rsa2049", CaFixture.rsaKey(2049)),
                refused("fail/rsa8192", CaFixture.rsaKey(8192)),
                refused("fail/p521", CaFixture.ecKey("secp521r1")),
                // Same field size as P-256: only the curve OID tells them apart.
                refused("fail/secp256k1", CaFixture.ecKey("secp256k1", new BouncyCastleProvider())),
                refused("fail/brainpoolP256r1", CaFixture.ecKey("brainpoolP256r1", new BouncyCastleProvider())),
                // RFC 5480 §2.1.1: specifiedCurve MUST NOT be used, even when the parameters are those of P-256.
                refused("fail/p256-explicit-parameters", explicitP256Key()),
                refused(
                        "fail/ed25519",
                        KeyPairGenerator.getInstance("Ed25519")
                                .generateKeyPair()
                                .getPublic()),
                refused("fail/dsa2048", dsaKey()),
                refused("fail/null", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void describesAllowedKeysAndRefusesTheRest(PublicKey key, Optional<String> expected) {
        assertThat(HolderKeyPolicy.describe(key)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void checkRefusesWithKeyTypeUnsupported(PublicKey key, Optional<String> expected) throws Exception {
        if (expected.isPresent()) {
            assertThat(HolderKeyPolicy.check(key)).isEqualTo(expected.get());
        } else if (key != null) {
            assertThatThrownBy(() -> HolderKeyPolicy.check(key))
                    .isInstanceOfSatisfying(
                            IssuanceException.class,
                            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.KEY_TYPE_UNSUPPORTED));
        }
    }

    private static Arguments allowed(String name, PublicKey key, String description) {
        return Arguments.of(Named.of(name, key), Optional.of(description));
    }

    private static Arguments refused(String name, PublicKey key) {
        return Arguments.of(Named.of(name, key), Optional.empty());
    }

    /** A P-256 key whose SubjectPublicKeyInfo spells the curve out instead of naming it. */
    private static PublicKey explicitP256Key() throws Exception {
        SubjectPublicKeyInfo named =
                SubjectPublicKeyInfo.getInstance(CaFixture.ecKey("secp256r1").getEncoded());
        X9ECParameters curve = ECNamedCurveTable.getByName("P-256");
        byte[] explicit = new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(curve)),
                        named.getPublicKeyData().getBytes())
                .getEncoded();
        return new PublicKey() {
            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return "X.509";
            }

            @Override
            public byte[] getEncoded() {
                return explicit.clone();
            }
        };
    }

    private static PublicKey dsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPublic();
    }
}
