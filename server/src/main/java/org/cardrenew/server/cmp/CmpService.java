package org.cardrenew.server.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.crmf.CRMFObjectIdentifiers;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.crmf.POPOSigningKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CertificateConfirmationContent;
import org.bouncycastle.cert.cmp.CertificateStatus;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardPairs;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.ConfirmationService;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.ra.RenewalService;
import org.cardrenew.server.standards.RenewalEligibility;
import org.cardrenew.server.standards.SplitRenewals;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;

/**
 * CMP (RFC 4210 as updated by RFC 9480, profile RFC 9483) key update for card pairs: {@code kur} with the signing and
 * the encryption CertReqMsg, protected by a signature of the card's current signing key, answered with {@code kup};
 * {@code certConf} completes the renewal ({@code pkiConf}). A kur with one CertReqMsg is one half of the pair: it
 * waits (polling) for the other half, see {@link SplitRenewals}. Policy, state machine and audit are the RA's: this class
 * only authenticates, translates and answers.
 */
@Service
public class CmpService {

    private final CertificateAuthority ca;
    private final CertificateRepository certificates;
    private final CardPairs pairs;
    private final RenewalService renewals;
    private final ConfirmationService confirmations;
    private final CmpResponses responses;
    private final CmpProperties properties;
    private final AuditLog audit;
    private final RenewalEligibility eligibility;
    private final SplitRenewals split;

    /** RFC 4210 §5.3.22 checkAfter: the other half of a pair usually follows within seconds. */
    static final int POLL_SECONDS = 1;

    public CmpService(CertificateAuthority ca, CertificateRepository certificates, CardPairs pairs,
            RenewalService renewals, ConfirmationService confirmations, CmpResponses responses,
            CmpProperties properties, AuditLog audit, RenewalEligibility eligibility, SplitRenewals split) {
        this.split = split;
        this.eligibility = eligibility;
        this.ca = ca;
        this.certificates = certificates;
        this.pairs = pairs;
        this.renewals = renewals;
        this.confirmations = confirmations;
        this.responses = responses;
        this.properties = properties;
        this.audit = audit;
    }

    /** The card whose current signing key protected the message. */
    private record Sender(StoredCertificate signing, X509Certificate certificate) {}

    /** One parsed CertReqMsg with its verified proof of possession. */
    private record KeyRequest(ASN1Integer certReqId, CertificationRequest request, BigInteger oldSerial) {}

    /** Answers one DER PKIMessage with one DER PKIMessage; never throws for bad input. */
    public byte[] handle(byte[] der, ClientAddress from) {
        PKIMessage message;
        try {
            message = PKIMessage.getInstance(ASN1Primitive.fromByteArray(der));
            message.getHeader().getPvno();
            message.getBody().getType();
        } catch (IOException | RuntimeException e) {
            return refused(null, null, new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badDataFormat,
                    "not a DER PKIMessage"), from);
        }
        PKIHeader header = message.getHeader();
        Sender sender = null;
        try {
            sender = authenticate(message);
            return switch (message.getBody().getType()) {
                case PKIBody.TYPE_KEY_UPDATE_REQ -> keyUpdate(message, sender, from);
                case PKIBody.TYPE_CERT_CONFIRM -> certificateConfirmation(message, sender, from);
                case PKIBody.TYPE_POLL_REQ -> poll(message, sender, from);
                // RFC 4210 §5.3.21: a client's error message (e.g. it rejects our response) is acknowledged.
                case PKIBody.TYPE_ERROR -> responses.pkiConf(header);
                default -> throw new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badRequest,
                        "only kur and certConf are served here (body type " + message.getBody().getType() + ")");
            };
        } catch (CmpRefusal refusal) {
            return refused(header, sender, refusal, from);
        } catch (RaException e) {
            // Already audited by the RA service that refused.
            return responses.error(header, CmpFailure.bitFor(e.code()), e.code().name() + ": " + e.getMessage());
        }
    }

    /** RFC 4210 §5.1.3.3 / RFC 9483 §3.2: signature protection, the signer's certificate first in extraCerts. */
    private Sender authenticate(PKIMessage message) {
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
        return new Sender(stored.get(), certificate);
    }

    private byte[] keyUpdate(PKIMessage message, Sender sender, ClientAddress from) {
        CertReqMsg[] messages = CertReqMessages.getInstance(message.getBody().getContent()).toCertReqMsgArray();
        if (messages.length < 1 || messages.length > 2) {
            throw new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badRequest,
                    "kur carries one or two CertReqMsg, not " + messages.length);
        }
        CurrentPair pair = pairs.load(sender.signing().pairId());
        refuseUnlessRenewable(pair);
        List<KeyRequest> requests = new ArrayList<>();
        for (CertReqMsg request : messages) {
            requests.add(parse(request, pair));
        }
        if (requests.size() == 1) {
            return keyUpdateHalf(message, requests.get(0), pair, sender, from);
        }
        KeyRequest signing = pick(requests, pair.signing(), 0);
        KeyRequest encryption = pick(requests, pair.encryption(), 1);
        if (signing == null || encryption == null || signing == encryption) {
            // The RA renews a card as a pair (both keys new, both certificates issued together, one renewal).
            throw new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badRequest,
                    "a card pair is renewed with one CertReqMsg for the signing and one for the encryption "
                            + "certificate (oldCertId naming each)");
        }
        RenewalResponse renewal = renewals.renewAuthenticated(sender.signing(), signing.request(), encryption.request(), from);
        boolean implicitConfirm = properties.implicitConfirmAllowed() && asksImplicitConfirm(message.getHeader());
        if (implicitConfirm) {
            confirmations.confirmInstalled(renewal.renewalId(), sender.signing().serial(), from);
        }
        List<CmpResponses.Granted> granted = List.of(
                new CmpResponses.Granted(signing.certReqId(), certificate(renewal.signingCertificate())),
                new CmpResponses.Granted(encryption.certReqId(), certificate(renewal.encryptionCertificate())));
        return responses.keyUpdateResponse(message.getHeader(), granted, implicitConfirm);
    }

    /**
     * A kur with one CertReqMsg (openssl sends one per message): one half of the pair, named by oldCertId (default
     * the signing certificate). It waits (status "waiting", RFC 4210 §5.3.22: the client polls) until a second kur,
     * protected by the same card, brings the other half; then the RA renews the pair and both transactions get
     * their certificate.
     */
    private byte[] keyUpdateHalf(PKIMessage message, KeyRequest request, CurrentPair pair, Sender sender,
            ClientAddress from) {
        CertificateKind kind = request.oldSerial() != null
                && request.oldSerial().equals(new BigInteger(pair.encryption().serial(), 16))
                ? CertificateKind.ENCRYPTION : CertificateKind.SIGNING;
        if (request.oldSerial() != null && kind == CertificateKind.SIGNING
                && !request.oldSerial().equals(new BigInteger(pair.signing().serial(), 16))) {
            throw new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badCertId,
                    "oldCertId names neither certificate of this card");
        }
        Optional<RenewalResponse> renewal = split.offer(sender.signing(), kind, request.request(),
                transactionId(message.getHeader()), from);
        if (renewal.isEmpty()) {
            audit.record(new AuditEvent(sender.signing().serial(), AuditAction.RENEWAL_PENDING, AuditOutcome.SUCCESS,
                    "CMP_WAITING", sender.signing().serial(), null,
                    "CMP: " + kind + " request kept until the other half arrives", from));
            return responses.waiting(message.getHeader(), request.certReqId());
        }
        return responses.keyUpdateResponse(message.getHeader(),
                List.of(new CmpResponses.Granted(request.certReqId(), certificate(renewal.get(), kind))), false);
    }

    /** RFC 4210 §5.3.22: pollRep until the other half arrived, then the kup this transaction waits for. */
    private byte[] poll(PKIMessage message, Sender sender, ClientAddress from) {
        PollReqContent poll = PollReqContent.getInstance(message.getBody().getContent());
        ASN1Integer certReqId = poll.getCertReqIdValues().length > 0
                ? new ASN1Integer(poll.getCertReqIdValues()[0]) : new ASN1Integer(0);
        CertificateKind kind = split.kindOf(sender.signing(), transactionId(message.getHeader()))
                .orElseThrow(() -> new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badRequest,
                        "no waiting request in this transaction"));
        Optional<RenewalResponse> renewal = split.renewIfComplete(sender.signing(), from);
        if (renewal.isEmpty()) {
            return responses.pollRep(message.getHeader(), certReqId, POLL_SECONDS);
        }
        return responses.keyUpdateResponse(message.getHeader(),
                List.of(new CmpResponses.Granted(certReqId, certificate(renewal.get(), kind))), false);
    }

    private static X509Certificate certificate(RenewalResponse renewal, CertificateKind kind) {
        return certificate(kind == CertificateKind.SIGNING ? renewal.signingCertificate() : renewal.encryptionCertificate());
    }

    private static String transactionId(PKIHeader header) {
        return header.getTransactionID() == null ? null
                : java.util.HexFormat.of().formatHex(header.getTransactionID().getOctets());
    }

    private void refuseUnlessRenewable(CurrentPair pair) {
        eligibility.refusal(pair).ifPresent(code -> {
            throw new CmpRefusal(code, CmpFailure.bitFor(code), "certificate " + pair.signing().serial() + " is not "
                    + "renewable now (" + code + ")");
        });
    }

    /** By oldCertId (RFC 4210 §5.3.5: the certificate to be updated); without one, by position: signing first. */
    private static KeyRequest pick(List<KeyRequest> requests, StoredCertificate old, int position) {
        BigInteger serial = new BigInteger(old.serial(), 16);
        for (KeyRequest request : requests) {
            if (serial.equals(request.oldSerial())) {
                return request;
            }
        }
        boolean anyOldCertId = requests.stream().anyMatch(r -> r.oldSerial() != null);
        return !anyOldCertId && requests.size() == 2 ? requests.get(position) : null;
    }

    private KeyRequest parse(CertReqMsg message, CurrentPair pair) {
        CertificateRequestMessage request = new CertificateRequestMessage(message);
        CertTemplate template = request.getCertTemplate();
        SubjectPublicKeyInfo info = template.getPublicKey();
        if (info == null) {
            throw new CmpRefusal(ErrorCode.CSR_MALFORMED, PKIFailureInfo.badCertTemplate, "the template has no public key");
        }
        PublicKey key;
        try {
            key = new JcaPEMKeyConverter().getPublicKey(info);
        } catch (IOException | RuntimeException e) {
            throw new CmpRefusal(ErrorCode.CSR_MALFORMED, PKIFailureInfo.badDataFormat, "the public key does not parse");
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
                    || !request.isValidSigningKeyPOP(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new CmpRefusal(ErrorCode.CSR_SIGNATURE_INVALID, PKIFailureInfo.badPOP,
                        "no valid signature proof of possession for the new key");
            }
        } catch (CmpRefusal refusal) {
            throw refusal;
        } catch (Exception e) {
            throw new CmpRefusal(ErrorCode.CSR_SIGNATURE_INVALID, PKIFailureInfo.badPOP,
                    "the proof of possession cannot be verified: " + e.getMessage());
        }
        BigInteger oldSerial = null;
        if (request.hasControl(CRMFObjectIdentifiers.id_regCtrl_oldCertID)) {
            oldSerial = CertId.getInstance(request.getControl(CRMFObjectIdentifiers.id_regCtrl_oldCertID).getValue())
                    .getSerialNumber().getValue();
        }
        byte[] subject;
        try {
            // RFC 4210 §5.3.5: without a subject in the template the certificate keeps the old one.
            subject = template.getSubject() != null ? template.getSubject().getEncoded(ASN1Encoding.DER)
                    : subjectOf(pair, oldSerial);
        } catch (IOException e) {
            throw new CmpRefusal(ErrorCode.CSR_MALFORMED, PKIFailureInfo.badCertTemplate, "the subject does not encode");
        }
        return new KeyRequest(request.getCertReqId(), new CertificationRequest(subject, key, KeyHash.of(key)), oldSerial);
    }

    private static byte[] subjectOf(CurrentPair pair, BigInteger oldSerial) {
        boolean encryption = oldSerial != null && oldSerial.equals(new BigInteger(pair.encryption().serial(), 16));
        return (encryption ? pair.encryptionCertificate() : pair.signingCertificate()).getSubjectX500Principal().getEncoded();
    }

    /** RFC 4210 §5.3.18: certConf after the card write; the renewal completes when both certificates are accepted. */
    private byte[] certificateConfirmation(PKIMessage message, Sender sender, ClientAddress from) {
        CertificateConfirmationContent content = CertificateConfirmationContent.fromPKIBody(message.getBody(),
                new DefaultDigestAlgorithmIdentifierFinder());
        CurrentPair pair = pairs.load(sender.signing().pairId());
        Renewal renewal = pair.renewal().filter(r -> r.state() != RenewalState.REQUESTED)
                .orElseThrow(() -> new CmpRefusal(ErrorCode.RENEWAL_NOT_FOUND, PKIFailureInfo.badCertId,
                        "no issued renewal of this card to confirm"));
        List<StoredCertificate> issued = certificates.findByPair(renewal.newPair());
        List<StoredCertificate> confirmed = new ArrayList<>();
        boolean rejected = false;
        for (CertificateStatus status : content.getStatusMessages()) {
            StoredCertificate match = issued.stream().filter(c -> hashMatches(status, c)).findFirst()
                    .orElseThrow(() -> new CmpRefusal(ErrorCode.CONFIRMATION_INVALID, PKIFailureInfo.badCertId,
                            "certHash " + status.getCertRequestID() + " matches no certificate of renewal " + renewal.id()));
            confirmed.add(match);
            int value = status.getStatusInfo() == null ? PKIStatus.GRANTED : status.getStatusInfo().getStatus().intValue();
            rejected |= value != PKIStatus.GRANTED && value != PKIStatus.GRANTED_WITH_MODS;
        }
        if (rejected) {
            // The client could not use a certificate (card write failed): the renewal stays ISSUED and can resume.
            audit.record(new AuditEvent(sender.signing().serial(), AuditAction.CONFIRMATION_REFUSED, AuditOutcome.REFUSED,
                    "CMP_CERT_REJECTED", sender.signing().serial(), renewal.id().toString(),
                    "CMP certConf: the client rejected a certificate", from));
            return responses.pkiConf(message.getHeader());
        }
        java.util.Set<CertificateKind> kinds = new java.util.HashSet<>();
        confirmed.forEach(c -> kinds.add(c.kind()));
        if (kinds.size() < issued.size()) {
            // One half of a pair renewed in two transactions: complete once both halves are confirmed.
            boolean both = false;
            for (CertificateKind kind : kinds) {
                both = split.confirm(sender.signing(), kind);
            }
            if (!both) {
                audit.record(new AuditEvent(sender.signing().serial(), AuditAction.RENEWAL_PENDING, AuditOutcome.SUCCESS,
                        "CMP_HALF_CONFIRMED", sender.signing().serial(), renewal.id().toString(),
                        "CMP certConf: " + kinds + " confirmed, waiting for the other certificate", from));
                return responses.pkiConf(message.getHeader());
            }
        }
        confirmations.confirmInstalled(renewal.id().toString(), sender.signing().serial(), from);
        return responses.pkiConf(message.getHeader());
    }

    private static boolean hashMatches(CertificateStatus status, StoredCertificate certificate) {
        try {
            return status.isVerified(new X509CertificateHolder(certificate.der()),
                    new JcaDigestCalculatorProviderBuilder().build());
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean asksImplicitConfirm(PKIHeader header) {
        InfoTypeAndValue[] info = header.getGeneralInfo();
        return info != null && Arrays.stream(info).anyMatch(i -> CMPObjectIdentifiers.it_implicitConfirm.equals(i.getInfoType()));
    }

    private byte[] refused(PKIHeader header, Sender sender, CmpRefusal refusal, ClientAddress from) {
        String serial = sender == null ? null : sender.signing().serial();
        audit.record(new AuditEvent(serial == null ? AuditEvent.ANONYMOUS : serial, AuditAction.RENEWAL_REFUSED,
                AuditOutcome.REFUSED, refusal.code().name(), serial, null, "CMP: " + refusal.getMessage(), from));
        return responses.error(header, refusal.failureBits(), refusal.code().name() + ": " + refusal.getMessage());
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (CertificateException e) {
            throw new IllegalStateException("the RA returned an unreadable certificate", e);
        }
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
