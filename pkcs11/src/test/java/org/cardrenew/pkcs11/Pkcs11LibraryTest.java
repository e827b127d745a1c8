package org.cardrenew.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The calls the CA and the agent make, on real SoftHSM2 tokens. */
class Pkcs11LibraryTest {

    private static final String PIN = "246810";

    private static Pkcs11Library library;
    private Pkcs11Session session;

    @BeforeAll
    static void tokens() throws IOException, Pkcs11Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        hsm.createToken("pkcs11-first", PIN);
        // PKCS#11 v2.40 §3.2: a label is UTF-8; the wrapper hands over one char per byte.
        Token second = hsm.createToken("卡片", PIN);
        library = Pkcs11Library.load(Path.of(second.library()));
    }

    @AfterEach
    void closeSession() throws Pkcs11Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void tokensAreFoundByTheirUtf8LabelAndTheSpareSlotIsNoToken() throws Pkcs11Exception {
        assertThat(library.tokens().stream().filter(TokenInfo::initialized).map(TokenInfo::label))
                .containsExactlyInAnyOrder("pkcs11-first", "卡片");
        assertThat(library.tokens()).anyMatch(t -> !t.initialized() && !t.isLabelled(""));
        assertThat(library.tokens().stream().filter(t -> t.isLabelled(" 卡片 "))).hasSize(1);
    }

    @Test
    void aWrongPinIsRefusedWithItsReturnValue() throws Pkcs11Exception {
        session = library.openSession(slot("pkcs11-first"));

        assertThatThrownBy(() -> session.login("000000".toCharArray()))
                .isInstanceOfSatisfying(
                        Pkcs11Exception.class, e -> assertThat(e.errorCode()).isEqualTo(Ckr.PIN_INCORRECT));
    }

    @Test
    void aKeyPairMadeOnTheTokenSignsAndKeepsTheAttributesAskedFor() throws Exception {
        session = library.openSession(slot("卡片"));
        session.login(PIN.toCharArray());
        byte[] id = "k1".getBytes(StandardCharsets.US_ASCII);

        long[] pair = session.generateKeyPair(
                Ckm.RSA_PKCS_KEY_PAIR_GEN,
                new Attribute[] {
                    Attribute.of(Cka.TOKEN, false),
                    Attribute.of(Cka.MODULUS_BITS, 2048L),
                    Attribute.of(Cka.PUBLIC_EXPONENT, BigInteger.valueOf(65537)),
                    Attribute.of(Cka.ID, id)
                },
                new Attribute[] {
                    Attribute.of(Cka.TOKEN, false),
                    Attribute.of(Cka.SENSITIVE, true),
                    Attribute.of(Cka.SIGN, true),
                    Attribute.of(Cka.DECRYPT, false),
                    Attribute.of(Cka.ID, id),
                    Attribute.of(Cka.LABEL, "k1-label".getBytes(StandardCharsets.UTF_8))
                });

        assertThat(session.find(Attribute.of(Cka.CLASS, Cko.PRIVATE_KEY), Attribute.of(Cka.ID, id)))
                .containsExactly(pair[1]);
        assertThat(session.flag(pair[1], Cka.DECRYPT)).isFalse();
        long privateExponent = 0x123; // CKA_PRIVATE_EXPONENT: sensitive, so unreadable
        assertThat(session.bytes(pair[1], privateExponent)).isNull();
        assertThat(session.label(pair[1])).isEqualTo("k1-label");
        assertThat(session.number(pair[0], Cka.KEY_TYPE)).isEqualTo(Ckk.RSA);
        BigInteger[] rsa = session.integers(pair[0], Cka.MODULUS, Cka.PUBLIC_EXPONENT);
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa[0], rsa[1]));

        byte[] data = "challenge".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = session.sign(Ckm.SHA256_RSA_PKCS, pair[1], data);

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        session.destroy(pair[1]);
        assertThat(session.find(Attribute.of(Cka.ID, id))).containsExactly(pair[0]);
    }

    private static long slot(String label) throws Pkcs11Exception {
        return library.tokens().stream()
                .filter(t -> t.isLabelled(label))
                .findFirst()
                .orElseThrow()
                .slot();
    }
}
