package org.cardrenew.server.cmp;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/** Who sent a CMP message: the card whose current signing certificate protected it (RFC 4210 §5.1.3.3). */
@Component
class CmpAuthentication {

    private final CertificateAuthority ca;
    private final CertificateRepository certificates;

    CmpAuthentication(CertificateAuthority ca, CertificateRepository certificates) {
        this.ca = ca;
        this.certificates = certificates;
    }

    /** RFC 4210 §5.1.3.3 / RFC 9483 §3.2: signature protection, the signer's certificate first in extraCerts. */
    CmpSender authenticate(PKIMessage message) {
        if (message.getProtection() == null || message.getHeader().getProtectionAlg() == null) {
            throw new CmpRefusal(ErrorCode.SIGNATURE_INVALID, PKIFailureInfo.badMessageCheck,
                    "the message is not protected: sign it with the current signing certificate's key");
        }
        ProtectedPKIMessage protectedMessage = new ProtectedPKIMessage(new GeneralPKIMessage(message));
        if (protectedMessage.hasPasswordBasedMacProtection()) {
            throw new CmpRefusal(ErrorCode.SIGNATURE_INVALID, PKIFailureInfo.wrongIntegrity,
                    "MAC protection is not accepted: sign with the current signing certificate's key");
        }
        X509CertificateHolder[] extraCerts = protectedMessage.getCertificates();
        if (extraCerts.length == 0) {
            throw new CmpRefusal(ErrorCode.CERTIFICATE_UNKNOWN, PKIFailureInfo.badMessageCheck,
                    "extraCerts must start with the protection certificate");
        }
        X509Certificate certificate;
        try {
            certificate = new JcaX509CertificateConverter().getCertificate(extraCerts[0]);
            if (!protectedMessage.verify(new JcaContentVerifierProviderBuilder().build(extraCerts[0]))) {
                throw new CmpRefusal(ErrorCode.SIGNATURE_INVALID, PKIFailureInfo.badMessageCheck,
                        "the protection does not verify with the first extraCerts certificate");
            }
        } catch (CmpRefusal refusal) {
            throw refusal;
        } catch (Exception e) {
            throw new CmpRefusal(ErrorCode.SIGNATURE_INVALID, PKIFailureInfo.badMessageCheck,
                    "the protection cannot be verified: " + e.getMessage());
        }
        String serial = certificate.getSerialNumber().toString(16);
        Optional<StoredCertificate> stored = ca.isIssuerOf(certificate) ? certificates.findBySerial(serial) : Optional.empty();
        if (stored.isEmpty() || stored.get().kind() != CertificateKind.SIGNING
                || !Arrays.equals(stored.get().der(), der(certificate))) {
            throw new CmpRefusal(ErrorCode.CERTIFICATE_UNKNOWN, PKIFailureInfo.signerNotTrusted,
                    "the protection certificate is not a signing certificate issued here");
        }
        return new CmpSender(stored.get(), certificate);
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
