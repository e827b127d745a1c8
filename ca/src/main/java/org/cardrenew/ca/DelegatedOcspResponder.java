package org.cardrenew.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An OCSP responder for the issuing CA whose responses are signed by a delegated OCSP signing certificate
 * (RFC 6960 §4.2.2.2) kept in the CA's key store under {@value #ALIAS}: the issuing CA key signs only certificates
 * and CRLs, and the responder key, used for every request, can be replaced often. The signing certificate is
 * created when missing and replaced when less than half of its lifetime is left or the issuing CA changed.
 */
final class DelegatedOcspResponder implements OcspResponder {

    static final String ALIAS = "cardrenew-ocsp-signer";
    /** Certificates asked about in one request at most; more is answered malformedRequest. */
    static final int MAX_CERT_IDS = 10;
    /** RFC 5280 §4.1.2.2: serials are at most 20 octets, so a positive one has at most 159 significant bits. */
    private static final int MAX_SERIAL_BITS = 159;
    /** RFC 8954 §2.1: the longest nonce a responder accepts, in octets. */
    static final int MAX_NONCE = 32;

    private static final System.Logger LOG = System.getLogger(DelegatedOcspResponder.class.getName());

    private final CaKeyStore store;
    private final CaSigner issuing;
    private final X509Certificate root;
    private final OcspSettings settings;
    private final Clock clock;
    private final RandomSerials serials;
    private final X509CertificateHolder issuingHolder;
    private final DigestCalculatorProvider digests;

    private CaSigner signer;

    DelegatedOcspResponder(
            CaKeyStore store,
            CaSigner issuing,
            X509Certificate root,
            OcspSettings settings,
            Clock clock,
            RandomSerials serials) {
        this.store = store;
        this.issuing = issuing;
        this.root = root;
        this.settings = settings;
        this.clock = clock;
        this.serials = serials;
        try {
            this.issuingHolder = new JcaX509CertificateHolder(issuing.certificate());
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new CaUnavailableException(
                    CaUnavailableException.Problem.CA_INVALID,
                    "cannot prepare the OCSP responder: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public byte[] respond(byte[] request, RevocationStatusLookup lookup) {
        OCSPReq parsed;
        Req[] entries;
        try {
            parsed = new OCSPReq(request);
            // BouncyCastle parses the CertIDs and extensions lazily: a malformed one throws here, not above (found
            // by OcspResponderFuzzTest).
            entries = parsed.getRequestList();
            for (Req entry : entries) {
                entry.getCertID().getSerialNumber();
            }
            // A relying party asks about one certificate, a cache at most a handful: a long list only costs signing
            // time.
            if (entries.length == 0 || entries.length > MAX_CERT_IDS || !nonceAcceptable(parsed)) {
                return error(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        } catch (IOException | RuntimeException e) {
            return error(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            List<Req> ours = new ArrayList<>();
            for (Req entry : entries) {
                if (issuedByUs(entry.getCertID())) {
                    ours.add(entry);
                }
            }
            // RFC 6960 §2.3: "unauthorized" when the responder is not authoritative for any certificate asked about.
            if (ours.isEmpty()) {
                return error(OCSPRespBuilder.UNAUTHORIZED);
            }
            try {
                return sign(parsed, ours, lookup);
            } catch (GeneralSecurityException | OCSPException | RuntimeException signerGone) {
                // Another node sharing the HSM may have replaced the signer (same alias): reload it and try once more.
                synchronized (this) {
                    signer = null;
                }
                return sign(parsed, ours, lookup);
            }
        } catch (GeneralSecurityException
                | IOException
                | OCSPException
                | OperatorCreationException
                | CaUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "OCSP response could not be signed: " + e.getMessage(), e);
            return error(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /**
     * RFC 8954 §2.1: Nonce ::= OCTET STRING (SIZE(1..32)); a responder MUST reject a request whose nonce is empty or
     * longer than 32 octets with malformedRequest. The extension's value is the DER of that OCTET STRING (older
     * clients send the bare nonce: its length counts then).
     */
    static boolean nonceAcceptable(OCSPReq request) {
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce == null) {
            return true;
        }
        byte[] value = nonce.getExtnValue().getOctets();
        int length;
        try {
            length = ASN1OctetString.getInstance(value).getOctets().length;
        } catch (IllegalArgumentException notAnOctetString) {
            length = value.length; // older clients put the nonce itself in extnValue, unwrapped
        }
        return length >= 1 && length <= MAX_NONCE;
    }

    /** The current signing certificate (created or replaced if due); for tests and for publishing it. */
    synchronized X509Certificate signerCertificate() throws GeneralSecurityException, IOException {
        return currentSigner().certificate();
    }

    private byte[] sign(OCSPReq request, List<Req> entries, RevocationStatusLookup lookup)
            throws GeneralSecurityException, IOException, OCSPException, OperatorCreationException {
        CaSigner responder;
        synchronized (this) {
            responder = currentSigner();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Date thisUpdate = Date.from(now);
        Date nextUpdate = Date.from(now.plus(settings.responseValidity()));
        // RFC 6960 §4.2.2.3 byKey: the SHA-1 hash of the responder's public key, stable across name changes.
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                SubjectPublicKeyInfo.getInstance(
                        responder.certificate().getPublicKey().getEncoded()),
                digests.get(CertificateID.HASH_SHA1)));
        for (Req entry : entries) {
            CertificateID id = entry.getCertID();
            // The response names each certificate with the CertID the client sent (its hash algorithm included).
            builder.addResponse(id, status(statusOf(id.getSerialNumber(), lookup)), thisUpdate, nextUpdate, null);
        }
        // RFC 6960 §4.4.1 / RFC 8954: echo the client's nonce so it can tell a fresh answer from a replay.
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        BasicOCSPResp basic = builder.build(
                responder.contentSigner(),
                new X509CertificateHolder[] {new JcaX509CertificateHolder(responder.certificate())},
                thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /**
     * RFC 5280 §4.1.2.2: a serial is a positive integer of at most 20 octets; this CA issued no other, so it is
     * "unknown" without asking the store (found by OcspResponderFuzzTest: a serial of 0 threw, answering HTTP 500).
     */
    private static RevocationStatus statusOf(BigInteger serial, RevocationStatusLookup lookup) {
        return serial.signum() > 0 && serial.bitLength() <= MAX_SERIAL_BITS
                ? lookup.statusOf(new SerialNumber(serial))
                : RevocationStatus.unknown();
    }

    private static CertificateStatus status(RevocationStatus status) {
        if (status instanceof RevocationStatus.Good) {
            return CertificateStatus.GOOD;
        }
        if (status instanceof RevocationStatus.Revoked revoked) {
            // As in the CRL (RFC 5280 §5.3.1), reason "unspecified" is left out.
            CRLReason reason = revoked.reason() == RevocationReason.UNSPECIFIED
                    ? null
                    : CRLReason.lookup(revoked.reason().code());
            return new RevokedStatus(new RevokedInfo(
                    new ASN1GeneralizedTime(Date.from(revoked.revokedAt().truncatedTo(ChronoUnit.SECONDS))), reason));
        }
        return new UnknownStatus();
    }

    private boolean issuedByUs(CertificateID id) {
        try {
            return id.matchesIssuer(issuingHolder, digests);
        } catch (OCSPException | RuntimeException e) {
            return false; // a hash algorithm we do not know: not a certificate we can speak for
        }
    }

    private CaSigner currentSigner() throws GeneralSecurityException, IOException {
        Instant now = clock.instant();
        if (signer == null) {
            Optional<CaKeyStore.Entry> stored = store.load(ALIAS);
            if (stored.isPresent() && usable(stored.get().certificate(), now)) {
                signer = new CaSigner(
                        stored.get().key(), stored.get().certificate(), store.signingProvider(), issuing.providers());
            }
        }
        if (signer == null || !usable(signer.certificate(), now)) {
            signer = createSigner(now);
        }
        return signer;
    }

    /** Issued by the current issuing CA, already valid, and more than half of its lifetime left. */
    private boolean usable(X509Certificate certificate, Instant now) {
        try {
            certificate.verify(issuing.certificate().getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant renewFrom =
                notBefore.plus(java.time.Duration.between(notBefore, notAfter).dividedBy(2));
        return !now.isBefore(notBefore) && now.isBefore(renewFrom);
    }

    private CaSigner createSigner(Instant now) throws GeneralSecurityException, IOException {
        KeyPair keys = store.generate(issuing.keyType());
        X509Certificate certificate =
                OcspSigningCertificates.issue(keys.getPublic(), issuing, now, settings.signerLifetime(), serials);
        store.store(ALIAS, keys.getPrivate(), certificate, issuing.certificate(), root);
        LOG.log(
                System.Logger.Level.INFO,
                "new OCSP signing certificate {0}, valid until {1}",
                certificate.getSerialNumber().toString(16),
                certificate.getNotAfter().toInstant());
        return new CaSigner(keys.getPrivate(), certificate, store.signingProvider(), issuing.providers());
    }

    private static byte[] error(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (IOException | OCSPException e) {
            throw new IllegalStateException("cannot encode an OCSP error response", e);
        }
    }
}
