package org.cardrenew.server.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.crmf.CRMFObjectIdentifiers;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.crmf.POPOSigningKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.cardrenew.ca.PublicKeys;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.ra.HolderSignatures;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.StoredCertificate;

/** The CertReqMsg of a kur (RFC 4211): new key, subject, oldCertId, and the verified proof of possession. */
final class KeyRequests {

    /** One parsed CertReqMsg with its verified proof of possession. */
    record KeyRequest(ASN1Integer certReqId, CertificationRequest request, BigInteger oldSerial) {}

    private KeyRequests() {}

    /** By oldCertId (RFC 4210 §5.3.5: the certificate to be updated); without one, by position: signing first. */
    static KeyRequest pick(List<KeyRequest> requests, StoredCertificate old, int position) {
        BigInteger serial = new BigInteger(old.serial(), 16);
        for (KeyRequest request : requests) {
            if (serial.equals(request.oldSerial())) {
                return request;
            }
        }
        boolean anyOldCertId = requests.stream().anyMatch(r -> r.oldSerial() != null);
        return !anyOldCertId && requests.size() == 2 ? requests.get(position) : null;
    }

    static KeyRequest parse(CertReqMsg message, CurrentPair pair) {
        CertificateRequestMessage request = new CertificateRequestMessage(message);
        CertTemplate template = request.getCertTemplate();
        SubjectPublicKeyInfo info = template.getPublicKey();
        if (info == null) {
            throw new CmpRefusal(
                    ErrorCode.CSR_MALFORMED, PKIFailureInfo.badCertTemplate, "the template has no public key");
        }
        PublicKey key;
        try {
            key = PublicKeys.of(info);
        } catch (IOException | RuntimeException e) {
            throw new CmpRefusal(
                    ErrorCode.CSR_MALFORMED, PKIFailureInfo.badDataFormat, "the public key does not parse");
        }
        // RFC 4211 §4.1: proof of possession by a signature of the new key over the CertRequest, with the
        // algorithms the RA accepts for CSRs.
        if (message.getPopo() != null && message.getPopo().getObject() instanceof POPOSigningKey signature) {
            try {
                CertificationRequest.requireAcceptedProofAlgorithm(signature.getAlgorithmIdentifier(), "CertReqMsg");
            } catch (RaException e) {
                throw new CmpRefusal(e.code(), PKIFailureInfo.badAlg, e.getMessage());
            }
        }
        try {
            if (!request.hasProofOfPossession()
                    || request.getProofOfPossessionType() != CertificateRequestMessage.popSigningKey
                    || !request.isValidSigningKeyPOP(HolderSignatures.contentVerifier(key))) {
                throw new CmpRefusal(
                        ErrorCode.CSR_SIGNATURE_INVALID,
                        PKIFailureInfo.badPOP,
                        "no valid signature proof of possession for the new key");
            }
        } catch (CmpRefusal refusal) {
            throw refusal;
        } catch (Exception e) {
            throw new CmpRefusal(
                    ErrorCode.CSR_SIGNATURE_INVALID,
                    PKIFailureInfo.badPOP,
                    "the proof of possession cannot be verified (the new key or the signature is malformed)");
        }
        BigInteger oldSerial = null;
        if (request.hasControl(CRMFObjectIdentifiers.id_regCtrl_oldCertID)) {
            oldSerial = CertId.getInstance(request.getControl(CRMFObjectIdentifiers.id_regCtrl_oldCertID)
                            .getValue())
                    .getSerialNumber()
                    .getValue();
        }
        byte[] subject;
        try {
            // RFC 4210 §5.3.5: without a subject in the template the certificate keeps the old one.
            subject = template.getSubject() != null
                    ? template.getSubject().getEncoded(ASN1Encoding.DER)
                    : subjectOf(pair, oldSerial);
        } catch (IOException e) {
            throw new CmpRefusal(
                    ErrorCode.CSR_MALFORMED, PKIFailureInfo.badCertTemplate, "the subject does not encode");
        }
        return new KeyRequest(
                request.getCertReqId(), new CertificationRequest(Der.of(subject), key, KeyHash.of(key)), oldSerial);
    }

    private static byte[] subjectOf(CurrentPair pair, BigInteger oldSerial) {
        boolean encryption = oldSerial != null
                && oldSerial.equals(new BigInteger(pair.encryption().serial(), 16));
        return (encryption
                        ? pair.encryptionSubject()
                        : pair.signingCertificate().getSubjectX500Principal())
                .getEncoded();
    }
}
