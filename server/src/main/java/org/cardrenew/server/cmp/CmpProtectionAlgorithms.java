package org.cardrenew.server.cmp;

import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The signature algorithms a CMP message may be protected with (RFC 4210 §5.1.3.3, RFC 9481 §3): SHA-256 or
 * stronger with RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA. Nothing with SHA-1 or MD5 (RFC 9481 §3 deprecates them for new
 * signatures), and no password-based MAC: a card authenticates with its signing key, never with a shared secret.
 */
final class CmpProtectionAlgorithms {

    private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    /** RSASSA-PSS: the hash of the message and of MGF1 (RFC 4055 §3.1). */
    private static final Set<ASN1ObjectIdentifier> PSS_HASHES =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private CmpProtectionAlgorithms() {}

    static boolean allowed(AlgorithmIdentifier protection) {
        if (protection == null) {
            return false;
        }
        if (SIGNATURES.contains(protection.getAlgorithm())) {
            return true;
        }
        if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(protection.getAlgorithm())
                || protection.getParameters() == null) {
            // absent PSS parameters mean SHA-1 (RFC 4055 §3.1)
            return false;
        }
        try {
            RSASSAPSSparams pss = RSASSAPSSparams.getInstance(protection.getParameters());
            AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
            return PSS_HASHES.contains(pss.getHashAlgorithm().getAlgorithm())
                    && PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
                    && PSS_HASHES.contains(
                            AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm());
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}
