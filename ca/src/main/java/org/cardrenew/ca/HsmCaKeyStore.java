package org.cardrenew.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.cardrenew.ca.CaUnavailableException.Problem;
import org.cardrenew.pkcs11.Ckr;
import org.cardrenew.pkcs11.Pkcs11Exception;

/**
 * CA keys on a PKCS#11 token through SunPKCS11. Private keys are generated on the token as token objects,
 * sensitive and not extractable (PKCS#11 v2.40 §4.9), so they never exist outside the HSM; the public key is a
 * session object because the certificate stored beside the private key carries it.
 */
final class HsmCaKeyStore implements CaKeyStore {

    private final CaKeyLocation.HsmToken location;
    private final Provider provider;
    private final KeyStore keyStore;

    private HsmCaKeyStore(CaKeyLocation.HsmToken location, Provider provider, KeyStore keyStore) {
        this.location = location;
        this.provider = provider;
        this.keyStore = keyStore;
    }

    static HsmCaKeyStore open(CaKeyLocation.HsmToken location) {
        char[] pin = location.pin();
        if (pin == null || pin.length == 0) {
            throw new CaUnavailableException(
                    Problem.CONFIGURATION_INVALID,
                    "no PIN is configured for the CA token '" + location.tokenLabel() + "'");
        }
        long slot = TokenSlots.slotOf(location.library(), location.tokenLabel());
        Provider provider = Security.getProvider("SunPKCS11").configure("--" + config(location, slot));
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            return new HsmCaKeyStore(location, provider, keyStore);
        } catch (IOException | GeneralSecurityException e) {
            throw loginFailure(location, e);
        }
    }

    /** SunPKCS11 reports a refused login as IOException → FailedLoginException → the wrapper's PKCS11Exception(CKR_...). */
    static CaUnavailableException loginFailure(CaKeyLocation.HsmToken location, Exception e) {
        long code = Pkcs11Exception.errorCodeIn(e);
        if (code == Ckr.PIN_INCORRECT) {
            return new CaUnavailableException(
                    Problem.TOKEN_PIN_WRONG, "the configured PIN is wrong for the CA " + location, e);
        }
        if (code == Ckr.PIN_LOCKED) {
            return new CaUnavailableException(
                    Problem.TOKEN_PIN_LOCKED,
                    "the user PIN of the CA " + location + " is locked: unlock it with the SO PIN",
                    e);
        }
        return new CaUnavailableException(
                Problem.HSM_LIBRARY_UNUSABLE, "cannot log in to the CA " + location + ": " + e.getMessage(), e);
    }

    /** SunPKCS11 configuration: the slot, and the attributes of generated key pairs (see the class comment). */
    private static String config(CaKeyLocation.HsmToken location, long slot) {
        return "name = CardRenewCA\n"
                + "library = \"" + location.library().toAbsolutePath() + "\"\n"
                + "slot = " + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n"
                // A CA key signs certificates, CRLs and OCSP responses, nothing else.
                + "  CKA_SIGN = true\n  CKA_DECRYPT = false\n  CKA_UNWRAP = false\n  CKA_DERIVE = false\n}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = false\n}\n";
    }

    @Override
    public Optional<Entry> load(String alias) {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                return Optional.empty();
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(alias, null);
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(alias);
            if (key == null || certificate == null) {
                throw new CaUnavailableException(
                        Problem.CA_INVALID,
                        "the CA " + location + " has a key '" + alias + "' without its certificate");
            }
            return Optional.of(new Entry(key, certificate));
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE,
                    "cannot read '" + alias + "' from the CA " + location + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public KeyPair generate(CaKeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm(), provider);
            generator.initialize(type.generationSpec());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE,
                    "the CA " + location + " cannot generate a " + type.configName() + " key: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void store(String alias, PrivateKey key, X509Certificate... chain) {
        try {
            // For a key already on the token this sets CKA_ID (and the certificate's CKA_LABEL) to the alias.
            keyStore.setKeyEntry(alias, key, null, chain);
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    Problem.HSM_LIBRARY_UNUSABLE,
                    "cannot store '" + alias + "' on the CA " + location + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public Provider signingProvider() {
        return provider;
    }
}
