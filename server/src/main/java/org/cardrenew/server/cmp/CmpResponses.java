package org.cardrenew.server.cmp;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CertOrEncCert;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.CertifiedKeyPair;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardrenew.server.tls.ServerIdentity;
import org.springframework.stereotype.Component;

/**
 * CMP responses, every one signed with the server identity (RFC 4210 §5.1.3.3; RFC 9483 §3.2: the protection
 * certificate first in extraCerts, then its chain), echoing the request's transactionID and senderNonce.
 */
@Component
class CmpResponses {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One certificate granted for the CertReqMsg with this certReqId. */
    record Granted(ASN1Integer certReqId, X509Certificate certificate) {}

    private final ServerIdentity identity;
    private final Clock clock;

    CmpResponses(ServerIdentity identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    byte[] keyUpdateResponse(PKIHeader request, List<Granted> granted, boolean implicitConfirm) {
        CertResponse[] responses = granted.stream().map(CmpResponses::response).toArray(CertResponse[]::new);
        PKIBody body = new PKIBody(PKIBody.TYPE_KEY_UPDATE_REP, new CertRepMessage(null, responses));
        return implicitConfirm
                ? build(request, body, new InfoTypeAndValue(CMPObjectIdentifiers.it_implicitConfirm, DERNull.INSTANCE))
                : build(request, body);
    }

    /** RFC 4210 §5.3.22: the request is kept; the client polls (pollReq) for the result. */
    byte[] waiting(PKIHeader request, ASN1Integer certReqId) {
        CertResponse waiting = new CertResponse(certReqId, new PKIStatusInfo(PKIStatus.waiting), null, null);
        return build(
                request,
                new PKIBody(PKIBody.TYPE_KEY_UPDATE_REP, new CertRepMessage(null, new CertResponse[] {waiting})));
    }

    byte[] pollRep(PKIHeader request, ASN1Integer certReqId, int checkAfterSeconds) {
        return build(
                request,
                new PKIBody(
                        PKIBody.TYPE_POLL_REP,
                        new org.bouncycastle.asn1.cmp.PollRepContent(certReqId, new ASN1Integer(checkAfterSeconds))));
    }

    byte[] pkiConf(PKIHeader request) {
        return build(request, new PKIBody(PKIBody.TYPE_CONFIRM, DERNull.INSTANCE));
    }

    /** RFC 4210 §5.3.21: status rejection with the failure bit and a text for the operator. */
    byte[] error(PKIHeader request, int failureBits, String text) {
        PKIStatusInfo status =
                new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(text), new PKIFailureInfo(failureBits));
        return build(request, new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(status)));
    }

    private static CertResponse response(Granted granted) {
        try {
            CMPCertificate certificate = new CMPCertificate(
                    Certificate.getInstance(granted.certificate().getEncoded()));
            return new CertResponse(
                    granted.certReqId(),
                    new PKIStatusInfo(PKIStatus.granted),
                    new CertifiedKeyPair(new CertOrEncCert(certificate)),
                    null);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("an issued certificate always encodes", e);
        }
    }

    private byte[] build(PKIHeader request, PKIBody body, InfoTypeAndValue... generalInfo) {
        try {
            // RFC 9480 §2.20: answer in the request's version (cmp2000 or cmp2021), anything else as cmp2000.
            int pvno = request == null
                            || !(request.getPvno().hasValue(PKIHeader.CMP_2000)
                                    || request.getPvno().hasValue(PKIHeader.CMP_2021))
                    ? PKIHeader.CMP_2000
                    : request.getPvno().intValueExact();
            GeneralName sender = new GeneralName(X500Name.getInstance(
                    identity.certificate().getSubjectX500Principal().getEncoded()));
            GeneralName recipient = request != null && request.getSender() != null
                    ? request.getSender()
                    : new GeneralName(new X500Name(new RDN[0]));
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            ProtectedPKIMessageBuilder builder = new ProtectedPKIMessageBuilder(pvno, sender, recipient)
                    .setMessageTime(Date.from(clock.instant().truncatedTo(ChronoUnit.SECONDS)))
                    .setSenderNonce(nonce)
                    .setBody(body);
            if (request != null && request.getTransactionID() != null) {
                builder.setTransactionID(request.getTransactionID().getOctets());
            }
            if (request != null && request.getSenderNonce() != null) {
                // RFC 4210 §5.1.1: recipNonce is the senderNonce of the message this one answers.
                builder.setRecipNonce(request.getSenderNonce().getOctets());
            }
            for (InfoTypeAndValue info : generalInfo) {
                builder.addGeneralInfo(info);
            }
            for (X509Certificate certificate : identity.chain()) {
                builder.addCMPCertificate(new JcaX509CertificateHolder(certificate));
            }
            return builder.build(signer()).toASN1Structure().getEncoded();
        } catch (CMPException | IOException | CertificateEncodingException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CMP response: " + e.getMessage(), e);
        }
    }

    private ContentSigner signer() throws OperatorCreationException {
        String algorithm = "EC".equals(identity.key().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaContentSignerBuilder(algorithm).build(identity.key());
    }
}
