package org.cardrenew.server.cmp;

import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardPairs;
import org.cardrenew.server.ra.ConfirmationService;
import org.cardrenew.server.ra.CurrentPair;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.ra.RenewalService;
import org.cardrenew.server.standards.SplitRenewals;
import org.cardrenew.server.store.CertificateKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(CmpService.class);

    private final CmpAuthentication authentication;
    private final CmpConfirmation confirmation;
    private final CardPairs pairs;
    private final RenewalService renewals;
    private final ConfirmationService confirmations;
    private final CmpResponses responses;
    private final CmpProperties properties;
    private final AuditLog audit;
    private final CmpFreshness freshness;
    private final SplitRenewals split;

    /** RFC 4210 §5.3.22 checkAfter: the other half of a pair usually follows within seconds. */
    static final int POLL_SECONDS = 1;

    public CmpService(
            CmpAuthentication authentication,
            CmpConfirmation confirmation,
            CardPairs pairs,
            RenewalService renewals,
            ConfirmationService confirmations,
            CmpResponses responses,
            CmpProperties properties,
            AuditLog audit,
            CmpFreshness freshness,
            SplitRenewals split) {
        this.authentication = authentication;
        this.confirmation = confirmation;
        this.pairs = pairs;
        this.renewals = renewals;
        this.confirmations = confirmations;
        this.responses = responses;
        this.properties = properties;
        this.audit = audit;
        this.freshness = freshness;
        this.split = split;
    }

    /**
     * Answers one DER PKIMessage with one DER PKIMessage; never throws: bad input, a refusal and a failure on our side
     * are all answered with a CMP error message (RFC 4210 §5.3.21), never with HTTP 500.
     */
    public byte[] handle(byte[] der, ClientAddress from) {
        try {
            return answer(der, from);
        } catch (RuntimeException e) {
            // Even the error answer failed (e.g. the header cannot be echoed): an error without the request's header.
            log.error("CMP error answer failed", e);
            return responses.error(null, PKIFailureInfo.systemFailure, ErrorCode.INTERNAL_ERROR.name());
        }
    }

    private byte[] answer(byte[] der, ClientAddress from) {
        PKIMessage message;
        try {
            message = CmpMessageReader.read(der);
        } catch (CmpRefusal refusal) {
            return refused(null, null, refusal, from);
        }
        PKIHeader header = message.getHeader();
        CmpSender sender = null;
        try {
            sender = authentication.authenticate(message);
            int type = message.getBody().getType();
            freshness.check(header, sender.signing().serial(), type == PKIBody.TYPE_KEY_UPDATE_REQ);
            return switch (type) {
                case PKIBody.TYPE_KEY_UPDATE_REQ -> keyUpdate(message, sender, from);
                case PKIBody.TYPE_CERT_CONFIRM -> confirmation.confirm(message, sender, from);
                case PKIBody.TYPE_POLL_REQ -> poll(message, sender, from);
                // RFC 4210 §5.3.21: a client's error message (e.g. it rejects our response) is acknowledged.
                case PKIBody.TYPE_ERROR -> responses.pkiConf(header);
                default ->
                    throw new CmpRefusal(
                            ErrorCode.REQUEST_INVALID,
                            PKIFailureInfo.badRequest,
                            "only kur, pollReq and certConf are served here (body type " + type + ")");
            };
        } catch (CmpRefusal refusal) {
            return refused(header, sender, refusal, from);
        } catch (RaException e) {
            // Already audited by the RA service that refused.
            return responses.error(header, CmpFailure.bitFor(e.code()), e.code().name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (CmpMessageReader.isMalformedStructure(e)) {
                log.info("CMP body type {} malformed: {}", message.getBody().getType(), e.toString());
                return refused(
                        header,
                        sender,
                        CmpMessageReader.malformedBody(message.getBody().getType()),
                        from);
            }
            log.error("CMP request failed", e);
            return failed(header, sender, e, from);
        }
    }

    private byte[] keyUpdate(PKIMessage message, CmpSender sender, ClientAddress from) {
        CertReqMsg[] messages =
                CertReqMessages.getInstance(message.getBody().getContent()).toCertReqMsgArray();
        if (messages.length < 1 || messages.length > 2) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badRequest,
                    "kur carries one or two CertReqMsg, not " + messages.length);
        }
        // The card's standing (revoked, expired, not yet renewable) was checked with its authentication.
        CurrentPair pair = pairs.load(sender.signing().pairId());
        List<KeyRequests.KeyRequest> requests = new ArrayList<>();
        for (CertReqMsg request : messages) {
            requests.add(KeyRequests.parse(request, pair));
        }
        if (requests.size() == 1) {
            return keyUpdateHalf(message, requests.get(0), pair, sender, from);
        }
        KeyRequests.KeyRequest signing = KeyRequests.pick(requests, pair.signing(), 0);
        KeyRequests.KeyRequest encryption = KeyRequests.pick(requests, pair.encryption(), 1);
        if (signing == null || encryption == null || signing == encryption) {
            // The RA renews a card as a pair (both keys new, both certificates issued together, one renewal).
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badRequest,
                    "a card pair is renewed with one CertReqMsg for the signing and one for the encryption "
                            + "certificate (oldCertId naming each)");
        }
        RenewalResponse renewal =
                renewals.renewAuthenticated(sender.signing(), signing.request(), encryption.request(), from);
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
    private byte[] keyUpdateHalf(
            PKIMessage message,
            KeyRequests.KeyRequest request,
            CurrentPair pair,
            CmpSender sender,
            ClientAddress from) {
        CertificateKind kind = request.oldSerial() != null
                        && request.oldSerial()
                                .equals(new BigInteger(pair.encryption().serial(), 16))
                ? CertificateKind.ENCRYPTION
                : CertificateKind.SIGNING;
        if (request.oldSerial() != null
                && kind == CertificateKind.SIGNING
                && !request.oldSerial().equals(new BigInteger(pair.signing().serial(), 16))) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badCertId,
                    "oldCertId names neither certificate of this card");
        }
        Optional<RenewalResponse> renewal =
                split.offer(sender.signing(), kind, request.request(), transactionId(message.getHeader()), from);
        if (renewal.isEmpty()) {
            String serial = sender.signing().serial();
            audit.record(AuditEvent.success(serial, AuditAction.RENEWAL_PENDING, from)
                    .code("CMP_WAITING")
                    .certificate(serial)
                    .detail("CMP: " + kind + " request kept until the other half arrives"));
            return responses.waiting(message.getHeader(), request.certReqId());
        }
        return responses.keyUpdateResponse(
                message.getHeader(),
                List.of(new CmpResponses.Granted(request.certReqId(), certificate(renewal.get(), kind))),
                false);
    }

    /** RFC 4210 §5.3.22: pollRep until the other half arrived, then the kup this transaction waits for. */
    private byte[] poll(PKIMessage message, CmpSender sender, ClientAddress from) {
        ASN1Integer certReqId = CmpMessageReader.pollCertReqId(message.getBody());
        CertificateKind kind = split.kindOf(sender.signing(), transactionId(message.getHeader()))
                .orElseThrow(() -> new CmpRefusal(
                        ErrorCode.REQUEST_INVALID,
                        PKIFailureInfo.badRequest,
                        "no waiting request in this transaction"));
        Optional<RenewalResponse> renewal = split.renewIfComplete(sender.signing(), from);
        if (renewal.isEmpty()) {
            return responses.pollRep(message.getHeader(), certReqId, POLL_SECONDS);
        }
        return responses.keyUpdateResponse(
                message.getHeader(),
                List.of(new CmpResponses.Granted(certReqId, certificate(renewal.get(), kind))),
                false);
    }

    private static X509Certificate certificate(RenewalResponse renewal, CertificateKind kind) {
        return certificate(
                kind == CertificateKind.SIGNING ? renewal.signingCertificate() : renewal.encryptionCertificate());
    }

    private static String transactionId(PKIHeader header) {
        return header.getTransactionID() == null
                ? null
                : java.util.HexFormat.of().formatHex(header.getTransactionID().getOctets());
    }

    private static boolean asksImplicitConfirm(PKIHeader header) {
        InfoTypeAndValue[] info = header.getGeneralInfo();
        return info != null
                && Arrays.stream(info).anyMatch(i -> CMPObjectIdentifiers.it_implicitConfirm.equals(i.getInfoType()));
    }

    private byte[] failed(PKIHeader header, CmpSender sender, RuntimeException e, ClientAddress from) {
        String serial = sender == null ? null : sender.signing().serial();
        audit.record(AuditEvent.error(
                        AuditEvent.cardOrAnonymous(serial),
                        AuditAction.REQUEST_FAILED,
                        ErrorCode.INTERNAL_ERROR.name(),
                        from)
                .certificate(serial)
                .detail("CMP: " + e.getClass().getSimpleName()));
        return responses.error(
                header,
                PKIFailureInfo.systemFailure,
                ErrorCode.INTERNAL_ERROR.name() + ": the request failed on our side; try again later");
    }

    private byte[] refused(PKIHeader header, CmpSender sender, CmpRefusal refusal, ClientAddress from) {
        String serial = sender != null ? sender.signing().serial() : refusal.serial();
        audit.record(AuditEvent.refused(
                        AuditEvent.cardOrAnonymous(serial),
                        AuditAction.RENEWAL_REFUSED,
                        refusal.code().name(),
                        from)
                .certificate(serial)
                .detail("CMP: " + refusal.getMessage()));
        return responses.error(header, refusal.failureBits(), refusal.code().name() + ": " + refusal.getMessage());
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (CertificateException e) {
            throw new IllegalStateException("the RA returned an unreadable certificate", e);
        }
    }
}
