package org.cardrenew.server.cmp;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.HolderSignatures;

/**
 * The protection of a CMP message (RFC 4210 §5.1.3.3 / RFC 9483 §3.2): a signature with an allowed algorithm by the key
 * of the first extraCerts certificate. Checked on the message alone, before anyone is looked up; who that certificate
 * belongs to is {@link CmpAuthentication}'s question.
 */
final class CmpProtection {

    private CmpProtection() {}

    /**
     * The certificate whose key protected the message.
     *
     * @throws CmpRefusal SIGNATURE_INVALID, SIGNATURE_ALGORITHM_UNSUPPORTED or CERTIFICATE_UNKNOWN
     */
    static X509Certificate verify(PKIMessage message) {
        if (message.getProtection() == null || message.getHeader().getProtectionAlg() == null) {
            throw new CmpRefusal(
                    ErrorCode.SIGNATURE_INVALID,
                    PKIFailureInfo.badMessageCheck,
                    "the message is not protected: sign it with the current signing certificate's key");
        }
        ProtectedPKIMessage protectedMessage = new ProtectedPKIMessage(new GeneralPKIMessage(message));
        if (protectedMessage.hasPasswordBasedMacProtection()) {
            throw new CmpRefusal(
                    ErrorCode.SIGNATURE_INVALID,
                    PKIFailureInfo.wrongIntegrity,
                    "MAC protection is not accepted: sign with the current signing certificate's key");
        }
        if (!CmpProtectionAlgorithms.allowed(message.getHeader().getProtectionAlg())) {
            throw new CmpRefusal(
                    ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                    PKIFailureInfo.badAlg,
                    "protection algorithm "
                            + message.getHeader().getProtectionAlg().getAlgorithm() + " is not "
                            + "accepted: use SHA-256 or stronger with RSA, RSASSA-PSS or ECDSA");
        }
        X509CertificateHolder[] extraCerts;
        try {
            extraCerts = protectedMessage.getCertificates();
        } catch (RuntimeException notX509) {
            // A CMPCertificate of another kind (RFC 4210 §5.1: x509v3PKCert is the only one) gives BouncyCastle a
            // null certificate and a NullPointerException (found by CmpMessageReaderFuzzTest).
            throw new CmpRefusal(
                    ErrorCode.CERTIFICATE_UNKNOWN,
                    PKIFailureInfo.badMessageCheck,
                    "extraCerts must hold X.509 certificates");
        }
        if (extraCerts.length == 0) {
            throw new CmpRefusal(
                    ErrorCode.CERTIFICATE_UNKNOWN,
                    PKIFailureInfo.badMessageCheck,
                    "extraCerts must start with the protection certificate");
        }
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(extraCerts[0]);
            if (!protectedMessage.verify(HolderSignatures.contentVerifier(certificate.getPublicKey()))) {
                throw new CmpRefusal(
                        ErrorCode.SIGNATURE_INVALID,
                        PKIFailureInfo.badMessageCheck,
                        "the protection does not verify with the first extraCerts certificate");
            }
            return certificate;
        } catch (CmpRefusal refusal) {
            throw refusal;
        } catch (Exception e) {
            // Not the library's message: it names exception classes and internals (found by CmpMessageReaderFuzzTest).
            throw new CmpRefusal(
                    ErrorCode.SIGNATURE_INVALID,
                    PKIFailureInfo.badMessageCheck,
                    "the protection cannot be verified with the first extraCerts certificate (its key or the "
                            + "signature is malformed)");
        }
    }
}
