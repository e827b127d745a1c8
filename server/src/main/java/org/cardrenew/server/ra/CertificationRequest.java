package org.cardrenew.server.ra;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.cardrenew.ca.PublicKeys;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.KeyHash;

/**
 * A PKCS#10 request (RFC 2986) whose self-signature has been verified: proof that the requester holds the
 * private key of {@link #publicKey()}.
 *
 * @param subjectDer the subject exactly as encoded in the request
 */
public record CertificationRequest(Der subjectDer, PublicKey publicKey, KeyHash keyHash) {

    private static final String PEM_HEADER = "-----BEGIN";

    /** Proof-of-possession signatures accepted: SHA-2 with RSA (PKCS#1 v1.5 or PSS) or ECDSA; no SHA-1 or MD5. */
    private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    /**
     * Parses base64 DER or PEM and verifies the request's signature.
     *
     * @throws RaException CSR_MALFORMED (not a complete PKCS#10 structure), CSR_SIGNATURE_INVALID (proof of
     *     possession fails: signed by another key, or altered)
     */
    public static CertificationRequest parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new RaException(ErrorCode.REQUEST_INVALID, field + " is missing");
        }
        byte[] der = Base64Field.decode(stripPem(text), ErrorCode.CSR_MALFORMED, field);
        PKCS10CertificationRequest csr;
        PublicKey key;
        try {
            csr = new PKCS10CertificationRequest(der);
            // A truncated or padded structure may still parse its prefix: insist on a byte-exact DER round trip.
            if (!Arrays.equals(csr.getEncoded(), der)) {
                throw new RaException(ErrorCode.CSR_MALFORMED, field + " has trailing or non-DER bytes");
            }
            key = PublicKeys.of(csr.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            if (e instanceof RaException ra) {
                throw ra;
            }
            throw new RaException(ErrorCode.CSR_MALFORMED, field + " is not a PKCS#10 request: " + e.getMessage());
        }
        requireAcceptedProofAlgorithm(csr.getSignatureAlgorithm(), field);
        try {
            if (!csr.isSignatureValid(HolderSignatures.contentVerifier(key))) {
                throw new RaException(ErrorCode.CSR_SIGNATURE_INVALID, field + " is not signed by its own key");
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof RaException ra) {
                throw ra;
            }
            throw new RaException(
                    ErrorCode.CSR_SIGNATURE_INVALID, field + " signature cannot be verified: " + e.getMessage());
        }
        try {
            return new CertificationRequest(
                    Der.of(csr.getSubject().getEncoded(ASN1Encoding.DER)), key, KeyHash.of(key));
        } catch (IOException e) {
            throw new RaException(ErrorCode.CSR_MALFORMED, field + " subject cannot be encoded");
        }
    }

    /**
     * The same rule for proofs of possession in other formats (CMP/CRMF POPOSigningKey): SHA-2 RSA or ECDSA only.
     *
     * @throws RaException SIGNATURE_ALGORITHM_UNSUPPORTED
     */
    public static void requireAcceptedProofAlgorithm(
            org.bouncycastle.asn1.x509.AlgorithmIdentifier algorithm, String field) {
        if (algorithm == null || !SIGNATURE_ALGORITHMS.contains(algorithm.getAlgorithm())) {
            throw new RaException(
                    ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                    field + " is signed with " + (algorithm == null ? "nothing" : algorithm.getAlgorithm())
                            + ", not SHA-2 RSA or ECDSA");
        }
    }

    /** RFC 7030 §4.2.2: the subject MUST be identical to the current certificate's, byte for byte. */
    public boolean hasSubject(X500Principal subject) {
        return subjectDer.equals(Der.of(subject.getEncoded()));
    }

    private static String stripPem(String text) {
        if (!text.contains(PEM_HEADER)) {
            return text;
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----")) {
                body.append(line.trim());
            }
        }
        return body.toString();
    }

    @Override
    public String toString() {
        return "CertificationRequest[key " + keyHash + "]";
    }
}
