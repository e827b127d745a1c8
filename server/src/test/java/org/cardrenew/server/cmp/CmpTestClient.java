package org.cardrenew.server.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CRMFObjectIdentifiers;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;
import org.bouncycastle.cert.crmf.Control;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.cardrenew.protocol.SignatureAlgorithms;

/** A CMP client built on BouncyCastle: the two-request kur a card-management system sends, and certConf. */
final class CmpTestClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI endpoint;
    private final java.time.Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    private byte[] transactionId;
    private byte[] lastSent;
    /** The protection's signature algorithm; null: the usual one for the key (SignatureAlgorithms.forKey). */
    String protectionAlgorithm;
    /** How far the messageTime lies from the server's clock; null: no messageTime at all. */
    java.time.Duration messageTimeOffset = java.time.Duration.ZERO;
    /** The transactionID the next kur starts; null: a fresh random one. */
    byte[] nextTransactionId;

    /** @param clock the server's clock, for messageTime */
    CmpTestClient(URI endpoint, java.time.Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** The transactionID of the last kur. */
    byte[] transactionId() {
        return transactionId.clone();
    }

    byte[] lastSent() {
        return lastSent.clone();
    }

    /** Sends the last message again, byte for byte (a replay). */
    Answer replayLast() throws Exception {
        return send(lastSent);
    }

    /** One CertReqMsg: new key, subject, oldCertId, signature proof of possession by the new key. */
    record KeyRequest(
            int certReqId,
            KeyPair newKeys,
            X509Certificate old,
            boolean withPop,
            boolean popByOtherKey,
            String popAlgorithm) {
        static KeyRequest of(int id, KeyPair keys, X509Certificate old) {
            return new KeyRequest(id, keys, old, true, false, null);
        }
    }

    /** The answer, already checked for a valid server signature. */
    record Answer(
            int bodyType,
            List<X509Certificate> certificates,
            List<Integer> statuses,
            int failInfo,
            String text,
            PKIMessage message) {}

    Answer keyUpdate(
            X509Certificate protectionCertificate,
            PrivateKey protectionKey,
            boolean implicitConfirm,
            KeyRequest... requests)
            throws Exception {
        transactionId = new byte[16];
        RANDOM.nextBytes(transactionId);
        if (nextTransactionId != null) {
            transactionId = nextTransactionId;
            nextTransactionId = null;
        }
        List<CertReqMsg> messages = new ArrayList<>();
        for (KeyRequest request : requests) {
            messages.add(certReqMsg(request));
        }
        PKIBody body =
                new PKIBody(PKIBody.TYPE_KEY_UPDATE_REQ, new CertReqMessages(messages.toArray(CertReqMsg[]::new)));
        return send(protect(body, protectionCertificate, protectionKey, implicitConfirm));
    }

    Answer confirm(
            X509Certificate protectionCertificate,
            PrivateKey protectionKey,
            boolean accept,
            List<X509Certificate> certificates)
            throws Exception {
        org.bouncycastle.asn1.cmp.PKIStatusInfo status = accept
                ? new org.bouncycastle.asn1.cmp.PKIStatusInfo(org.bouncycastle.asn1.cmp.PKIStatus.granted)
                : new org.bouncycastle.asn1.cmp.PKIStatusInfo(
                        org.bouncycastle.asn1.cmp.PKIStatus.rejection,
                        new org.bouncycastle.asn1.cmp.PKIFreeText("card write failed"));
        return confirm(protectionCertificate, protectionKey, status, certificates);
    }

    /** certConf with this statusInfo for every certificate. */
    Answer confirm(
            X509Certificate protectionCertificate,
            PrivateKey protectionKey,
            org.bouncycastle.asn1.cmp.PKIStatusInfo status,
            List<X509Certificate> certificates)
            throws Exception {
        org.bouncycastle.asn1.ASN1EncodableVector statuses = new org.bouncycastle.asn1.ASN1EncodableVector();
        for (int i = 0; i < certificates.size(); i++) {
            // RFC 4210 §5.3.18: certHash with the hash of the certificate's signature algorithm (SHA-256 here).
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(certificates.get(i).getEncoded());
            statuses.add(new org.bouncycastle.asn1.cmp.CertStatus(hash, BigInteger.valueOf(i), status));
        }
        PKIBody body = new PKIBody(
                PKIBody.TYPE_CERT_CONFIRM,
                org.bouncycastle.asn1.cmp.CertConfirmContent.getInstance(
                        new org.bouncycastle.asn1.DERSequence(statuses)));
        return send(protect(body, protectionCertificate, protectionKey, false));
    }

    /** RFC 4210 §5.3.22: pollReq in the last kur's transaction. */
    Answer poll(X509Certificate protectionCertificate, PrivateKey protectionKey, int certReqId) throws Exception {
        PKIBody body = new PKIBody(
                PKIBody.TYPE_POLL_REQ,
                new org.bouncycastle.asn1.cmp.PollReqContent(new org.bouncycastle.asn1.ASN1Integer(certReqId)));
        return send(protect(body, protectionCertificate, protectionKey, false));
    }

    /** A pollReq with this content as it is (a malformed one included). */
    Answer poll(
            X509Certificate protectionCertificate,
            PrivateKey protectionKey,
            org.bouncycastle.asn1.ASN1Sequence pollReqContent)
            throws Exception {
        PKIBody body = new PKIBody(
                PKIBody.TYPE_POLL_REQ, org.bouncycastle.asn1.cmp.PollReqContent.getInstance(pollReqContent));
        return send(protect(body, protectionCertificate, protectionKey, false));
    }

    Answer sendRaw(byte[] message) throws Exception {
        return send(message);
    }

    byte[] unprotectedKeyUpdate(KeyRequest... requests) throws Exception {
        List<CertReqMsg> messages = new ArrayList<>();
        for (KeyRequest request : requests) {
            messages.add(certReqMsg(request));
        }
        PKIBody body =
                new PKIBody(PKIBody.TYPE_KEY_UPDATE_REQ, new CertReqMessages(messages.toArray(CertReqMsg[]::new)));
        org.bouncycastle.asn1.cmp.PKIHeaderBuilder header = new org.bouncycastle.asn1.cmp.PKIHeaderBuilder(
                2, new GeneralName(new X500Name("CN=someone")), new GeneralName(new X500Name("CN=CA")));
        header.setTransactionID(new byte[] {1, 2, 3, 4});
        return new PKIMessage(header.build(), body).getEncoded();
    }

    private static CertReqMsg certReqMsg(KeyRequest request) throws Exception {
        CertificateRequestMessageBuilder builder =
                new CertificateRequestMessageBuilder(BigInteger.valueOf(request.certReqId()));
        builder.setPublicKey(
                SubjectPublicKeyInfo.getInstance(request.newKeys().getPublic().getEncoded()));
        builder.setSubject(
                X500Name.getInstance(request.old().getSubjectX500Principal().getEncoded()));
        CertId oldCertId = new CertId(
                new GeneralName(X500Name.getInstance(
                        request.old().getIssuerX500Principal().getEncoded())),
                request.old().getSerialNumber());
        builder.addControl(new Control() {
            @Override
            public ASN1ObjectIdentifier getType() {
                return CRMFObjectIdentifiers.id_regCtrl_oldCertID;
            }

            @Override
            public ASN1Encodable getValue() {
                return oldCertId;
            }
        });
        if (request.withPop()) {
            PrivateKey popKey = request.popByOtherKey()
                    ? org.cardrenew.server.testsupport.Keys.p256().getPrivate()
                    : request.newKeys().getPrivate();
            builder.setProofOfPossessionSigningKeySigner(new JcaContentSignerBuilder(
                            request.popAlgorithm() != null
                                    ? request.popAlgorithm()
                                    : SignatureAlgorithms.forKey(
                                            request.newKeys().getPublic()))
                    .build(popKey));
        }
        return builder.build().toASN1Structure();
    }

    private byte[] protect(PKIBody body, X509Certificate certificate, PrivateKey key, boolean implicitConfirm)
            throws Exception {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        ProtectedPKIMessageBuilder builder = new ProtectedPKIMessageBuilder(
                        new GeneralName(X500Name.getInstance(
                                certificate.getSubjectX500Principal().getEncoded())),
                        new GeneralName(X500Name.getInstance(
                                certificate.getIssuerX500Principal().getEncoded())))
                .setTransactionID(transactionId == null ? nonce : transactionId)
                .setSenderNonce(nonce)
                .setBody(body)
                .addCMPCertificate(new JcaX509CertificateHolder(certificate));
        if (messageTimeOffset != null) {
            builder.setMessageTime(Date.from(clock.instant().plus(messageTimeOffset)));
        }
        if (implicitConfirm) {
            builder.addGeneralInfo(new InfoTypeAndValue(CMPObjectIdentifiers.it_implicitConfirm, DERNull.INSTANCE));
        }
        JcaContentSignerBuilder signer = protectionAlgorithm == null
                ? new JcaContentSignerBuilder(SignatureAlgorithms.forKey(certificate.getPublicKey()))
                : new JcaContentSignerBuilder(protectionAlgorithm).setProvider(new BouncyCastleProvider());
        return builder.build(signer.build(key)).toASN1Structure().getEncoded();
    }

    private Answer send(byte[] message) throws IOException, InterruptedException, Exception {
        lastSent = message;
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/pkixcmp")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(message))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode());
        }
        PKIMessage answer = PKIMessage.getInstance(response.body());
        ProtectedPKIMessage protectedAnswer = new ProtectedPKIMessage(new GeneralPKIMessage(answer));
        X509CertificateHolder signer = protectedAnswer.getCertificates()[0];
        if (!protectedAnswer.verify(new JcaContentVerifierProviderBuilder().build(signer))) {
            throw new AssertionError("the response signature does not verify");
        }
        int type = answer.getBody().getType();
        List<X509Certificate> certificates = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        int failInfo = 0;
        String text = null;
        if (type == PKIBody.TYPE_KEY_UPDATE_REP) {
            for (CertResponse certResponse :
                    CertRepMessage.getInstance(answer.getBody().getContent()).getResponse()) {
                statuses.add(certResponse.getStatus().getStatus().intValue());
                if (certResponse.getCertifiedKeyPair() == null) {
                    continue;
                }
                certificates.add(new JcaX509CertificateConverter()
                        .getCertificate(new X509CertificateHolder(certResponse
                                .getCertifiedKeyPair()
                                .getCertOrEncCert()
                                .getCertificate()
                                .getX509v3PKCert())));
            }
        } else if (type == PKIBody.TYPE_ERROR) {
            ErrorMsgContent error = ErrorMsgContent.getInstance(answer.getBody().getContent());
            failInfo = error.getPKIStatusInfo().getFailInfo().intValue();
            text = error.getPKIStatusInfo().getStatusString().getStringAtUTF8(0).getString();
        }
        return new Answer(type, certificates, statuses, failInfo, text, answer);
    }
}
