package org.cardrenew.ca;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Where the CA keys and certificates are kept, under fixed aliases: a PKCS#12 file or an HSM token. */
interface CaKeyStore {

    /** The key and certificate stored under the alias, if any. */
    Optional<Entry> load(String alias);

    /** A new key pair of the type, generated where the store keeps keys (on the token for an HSM). */
    KeyPair generate(CaKeyType type);

    /** Stores the private key with its certificate chain (own certificate first) under the alias. */
    void store(String alias, PrivateKey key, X509Certificate... chain);

    /** The provider that signs with this store's keys, or null for the JDK's default providers. */
    Provider signingProvider();

    /** A CA key and its certificate. */
    record Entry(PrivateKey key, X509Certificate certificate) {}

    static CaKeyStore open(CaKeyLocation location) {
        if (location instanceof CaKeyLocation.Pkcs12File file) {
            return Pkcs12CaKeyStore.open(file);
        }
        return HsmCaKeyStore.open((CaKeyLocation.HsmToken) location);
    }
}
