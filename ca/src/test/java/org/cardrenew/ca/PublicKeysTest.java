package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

    @Test
    void rsaAndEcKeysComeBackAsTheJdksOwnKeysAsTheConverterGaveThem() throws Exception {
        for (PublicKey key : List.of(ec("secp256r1"), ec("secp384r1"), rsa(2048), rsa(3072))) {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            PublicKey converted = PublicKeys.of(info);
            assertThat(converted).as(key.getAlgorithm()).isEqualTo(key);
            assertThat(converted.getEncoded()).isEqualTo(key.getEncoded());
            assertThat(converted).isEqualTo(new JcaPEMKeyConverter().getPublicKey(info));
        }
    }

    /** The converter asked every provider for an "ECDSA" key factory first and caught the failure, on every EC key. */
    @Test
    void anEcKeyIsMadeByTheEcKeyFactoryWithoutAskingForAnyOther() throws Exception {
        SubjectPublicKeyInfo info =
                SubjectPublicKeyInfo.getInstance(ec("secp256r1").getEncoded());
        Listener listener = new Listener();
        Security.insertProviderAt(listener, 1);
        try {
            PublicKeys.of(info);
        } finally {
            Security.removeProvider(listener.getName());
        }
        assertThat(listener.asked()).containsExactly("KeyFactory EC");
    }

    @Test
    void otherAlgorithmsStillGoThroughTheConverter() throws Exception {
        PublicKey ed25519 =
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        PublicKey converted = PublicKeys.of(SubjectPublicKeyInfo.getInstance(ed25519.getEncoded()));
        assertThat(converted.getEncoded()).isEqualTo(ed25519.getEncoded());
    }

    @Test
    void aKeyThatDoesNotParseIsAnIoException() throws Exception {
        SubjectPublicKeyInfo good =
                SubjectPublicKeyInfo.getInstance(ec("secp256r1").getEncoded());
        // a point that is not on the curve's encoding: one byte short
        byte[] point = good.getPublicKeyData().getBytes();
        SubjectPublicKeyInfo broken = new SubjectPublicKeyInfo(
                good.getAlgorithm(), new DERBitString(java.util.Arrays.copyOf(point, point.length - 1)));
        assertThatThrownBy(() -> PublicKeys.of(broken)).isInstanceOf(IOException.class);
        SubjectPublicKeyInfo rsa = SubjectPublicKeyInfo.getInstance(rsa(2048).getEncoded());
        SubjectPublicKeyInfo notRsa =
                new SubjectPublicKeyInfo(rsa.getAlgorithm(), new DERBitString(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> PublicKeys.of(notRsa)).isInstanceOf(IOException.class);
    }

    private static PublicKey ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair().getPublic();
    }

    private static PublicKey rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair().getPublic();
    }

    /** First in the provider list while installed: records what is asked for key factories, offers nothing. */
    private static final class Listener extends Provider {
        private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

        Listener() {
            super("PublicKeysTestListener", "1", "records key factory lookups");
        }

        @Override
        public Service getService(String type, String algorithm) {
            if (type.equals("KeyFactory")) {
                asked.add(type + " " + algorithm);
            }
            return null;
        }

        List<String> asked() {
            return List.copyOf(asked);
        }
    }
}
