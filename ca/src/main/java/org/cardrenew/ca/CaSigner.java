package org.cardrenew.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA key with its certificate: signs certificates and CRLs (the issuing CA), or OCSP responses (the delegated
 * responder), through the JCA provider of the key (SunPKCS11 for HSM keys) or, for PKCS#12 keys, the one
 * {@link CryptoProviders} chooses (native crypto where it loads, else the JDK's default).
 */
final class CaSigner {

    private final CryptoProviders providers;
    private final CryptoProviders.CaSigningKey signing;
    private final X509Certificate certificate;
    private final boolean onToken;
    private final CaKeyType keyType;
    private final byte[] keyIdentifier;

    /** @param provider the HSM's provider, or null for a software key (the providers' choice then) */
    CaSigner(PrivateKey key, X509Certificate certificate, Provider provider, CryptoProviders providers) {
        this.providers = providers;
        this.certificate = certificate;
        this.onToken = provider != null;
        this.keyType = CaKeyType.of(certificate.getPublicKey())
                .orElseThrow(() -> new CaUnavailableException(
                        CaUnavailableException.Problem.CA_INVALID,
                        "the CA key of " + certificate.getSubjectX500Principal()
                                + " is not rsa2048, rsa3072, p256 or p384"));
        this.signing = providers.caSigningKey(key, certificate.getPublicKey(), provider);
        this.keyIdentifier = keyIdentifierOf(certificate);
        if (!verifiesEachSignature()) {
            requireKeyMatchesCertificate();
        }
    }

    /** Once, for keys whose signatures are not each verified: the private key must belong to the certificate. */
    private void requireKeyMatchesCertificate() {
        byte[] probe = "CardRenew CA key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            // The key that will sign, through the provider that will sign: a translated key is checked too.
            Signature signer = signing.provider() == null
                    ? Signature.getInstance(keyType.signatureAlgorithm())
                    : Signature.getInstance(keyType.signatureAlgorithm(), signing.provider());
            signer.initSign(signing.key());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(keyType.signatureAlgorithm());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new CaUnavailableException(
                    CaUnavailableException.Problem.CA_INVALID,
                    "the CA key of " + certificate.getSubjectX500Principal() + " cannot sign: " + e.getMessage(),
                    e);
        }
        throw new CaUnavailableException(
                CaUnavailableException.Problem.CA_INVALID,
                "the CA key stored for " + certificate.getSubjectX500Principal()
                        + " does not belong to its certificate");
    }

    /** A fresh signer for one signature (ContentSigners are not thread-safe). */
    ContentSigner contentSigner() {
        return contentSigner(signing.key(), keyType, signing.provider());
    }

    /** A signer for a key without a certificate yet: the root CA signing its own certificate. */
    static ContentSigner contentSigner(PrivateKey key, CaKeyType keyType, Provider provider) {
        try {
            JcaContentSignerBuilder builder = new JcaContentSignerBuilder(keyType.signatureAlgorithm());
            if (provider != null) {
                builder.setProvider(provider);
            }
            return builder.build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with the CA key: " + e.getMessage(), e);
        }
    }

    /** Signs the certificate and, where it guards against something, checks the signature before handing it out. */
    X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(signChecked(builder));
    }

    /**
     * {@link #sign} without parsing the result into the JDK's form: the signature is checked over the to-be-signed
     * bytes the CA built, as {@link X509Certificate#verify} would check it over the parsed certificate's.
     */
    X509CertificateHolder signChecked(X509v3CertificateBuilder builder) throws GeneralSecurityException {
        X509CertificateHolder signed = builder.build(contentSigner());
        if (!verifiesEachSignature()) {
            return signed;
        }
        Signature verifier = signing.checkProvider() != null
                ? Signature.getInstance(keyType.signatureAlgorithm(), signing.checkProvider())
                : Signature.getInstance(keyType.signatureAlgorithm());
        verifier.initVerify(checkKey());
        try {
            verifier.update(signed.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER));
        } catch (java.io.IOException e) {
            throw new java.security.SignatureException("the certificate just built does not encode", e);
        }
        if (!verifier.verify(signed.getSignature())) {
            throw new java.security.SignatureException(
                    "the CA's signature does not verify with its certified key (faulty signature or wrong key)");
        }
        return signed;
    }

    /** Whether this CA's key made the certificate's signature, checked as {@link #signChecked} checks its own. */
    boolean signed(X509Certificate certificate) {
        try {
            // A null provider: the JDK's providers choose, as X509Certificate.verify(PublicKey) does.
            certificate.verify(checkKey(), signing.checkProvider());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The key that checks this CA's signatures with {@code signing.checkProvider()}: translated once for native crypto
     * when it took the CA key, else the certificate's (a key on an HSM: its public key is checked in software).
     */
    private PublicKey checkKey() {
        return signing.checkProvider() != null ? signing.certified() : certificate.getPublicKey();
    }

    /**
     * An HSM key is checked on every signature: a key on the token that no longer matches the stored certificate
     * must fail here, not at the relying party. An RSA key is checked too: verifying is cheap and catches a faulty
     * CRT signature before it leaves the CA (a faulty RSA-CRT signature reveals the private key). A software EC key
     * (PKCS#12) has neither risk, its match with the certificate is checked once when the store is opened, and
     * re-verifying was 18% of the server's CPU per renewal with a P-256 CA on JDK 17 (docs/BENCHMARKS.md). A
     * software key that signs natively is checked natively, with its certified public key translated once.
     */
    private boolean verifiesEachSignature() {
        return onToken || !keyType.isEc();
    }

    /** The module that signs with this key, named for the operator and the auditor (start-up log, console). */
    String signingModule() {
        if (signing.provider() != null) {
            return CryptoProviders.moduleName(signing.provider());
        }
        try {
            return CryptoProviders.moduleName(
                    Signature.getInstance(keyType.signatureAlgorithm()).getProvider());
        } catch (GeneralSecurityException e) {
            return "the JDK's default providers";
        }
    }

    /** The provider choice this signer was made with: the delegated OCSP signer follows its issuer's. */
    CryptoProviders providers() {
        return providers;
    }

    X509Certificate certificate() {
        return certificate;
    }

    CaKeyType keyType() {
        return keyType;
    }

    /** The CA's name exactly as encoded in its certificate: RFC 5280 §4.1.2.4 issuer names must match it. */
    X500Name name() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** RFC 5280 §4.2.1.1: the keyIdentifier of certificates this CA signs is the CA's own subjectKeyIdentifier. */
    AuthorityKeyIdentifier authorityKeyIdentifier() {
        return new AuthorityKeyIdentifier(keyIdentifier.clone());
    }

    private static byte[] keyIdentifierOf(X509Certificate certificate) {
        try {
            Extension ski = new JcaX509CertificateHolder(certificate).getExtension(Extension.subjectKeyIdentifier);
            if (ski != null) {
                return SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier();
            }
            return KeyIdentifiers.subjectKeyIdentifier(certificate.getPublicKey())
                    .getKeyIdentifier();
        } catch (CertificateEncodingException e) {
            throw new CaUnavailableException(
                    CaUnavailableException.Problem.CA_INVALID,
                    "cannot parse the CA certificate " + certificate.getSubjectX500Principal(),
                    e);
        }
    }
}
