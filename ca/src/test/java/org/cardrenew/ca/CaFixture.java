package org.cardrenew.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Shared test inputs: a fixed clock, holder subjects and holder keys. */
final class CaFixture {

    static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private CaFixture() {}

    /** A PKCS#12 CA with a fast key type, created in the directory. */
    static EmbeddedCa pkcs12Ca(Path dir, CaKeyType type, PublicationUrls urls) {
        return EmbeddedCa.openOrCreate(
                CaSettings.pkcs12(dir.resolve("ca.p12"), PASSWORD.clone())
                        .withKeyType(type)
                        .withUrls(urls),
                CLOCK);
    }

    /** C=TW, O=..., CN=王小明, SERIALNUMBER=... with the string types a card subject has (RFC 5280 §4.1.2.6). */
    static X500Principal holderSubject() {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        name.addRDN(BCStyle.C, new DERPrintableString("TW"));
        name.addRDN(BCStyle.O, new DERUTF8String("行政院人事行政總處"));
        name.addRDN(BCStyle.CN, new DERUTF8String("王小明"));
        name.addRDN(BCStyle.SERIALNUMBER, new DERPrintableString("A123456789"));
        try {
            return new X500Principal(name.build().getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey ecKey(String curve) {
        return ecKey(curve, null);
    }

    static PublicKey ecKey(String curve, Provider provider) {
        try {
            KeyPairGenerator generator = provider == null
                    ? KeyPairGenerator.getInstance("EC")
                    : KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An RSA public key with a random odd modulus of exactly this many bits: enough for policy and profile tests
     * (nothing is encrypted to it), without waiting for prime generation.
     */
    static PublicKey rsaKey(int bits) {
        BigInteger modulus =
                new BigInteger(bits, new SecureRandom()).setBit(bits - 1).setBit(0);
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(modulus, BigInteger.valueOf(65537)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static IssuanceRequest request(PublicKey key, CertificateProfile profile) {
        return new IssuanceRequest(holderSubject(), key, profile, NOW, NOW.plusSeconds(2 * 365 * 86400L));
    }
}
