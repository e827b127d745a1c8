package org.cardrenew.server.cmp;

import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.cardrenew.protocol.ErrorCode;

/** The PKIFailureInfo bit (RFC 4210 §5.2.3) that tells a CMP client what the RA's refusal code means. */
final class CmpFailure {

    private CmpFailure() {}

    static int bitFor(ErrorCode code) {
        return switch (code) {
            case SIGNATURE_INVALID -> PKIFailureInfo.badMessageCheck;
            case SIGNATURE_ALGORITHM_UNSUPPORTED -> PKIFailureInfo.badAlg;
            case CERTIFICATE_UNKNOWN, CERTIFICATE_MALFORMED -> PKIFailureInfo.signerNotTrusted;
            case CERTIFICATE_REVOKED -> PKIFailureInfo.certRevoked;
            case CERTIFICATE_EXPIRED,
                    CERTIFICATE_NOT_YET_VALID,
                    NOT_YET_RENEWABLE,
                    RENEWAL_TOKEN_INVALID,
                    ADMIN_UNAUTHORIZED,
                    EXPLICIT_VALIDITY_NOT_ALLOWED -> PKIFailureInfo.notAuthorized;
            case ALREADY_RENEWED, RENEWAL_IN_PROGRESS -> PKIFailureInfo.transactionIdInUse;
            case CSR_SIGNATURE_INVALID -> PKIFailureInfo.badPOP;
            case CSR_SUBJECT_MISMATCH, KEYS_IDENTICAL, VALIDITY_INVALID, HOLDER_INVALID ->
                PKIFailureInfo.badCertTemplate;
            case KEY_NOT_NEW -> PKIFailureInfo.duplicateCertReq;
            case KEY_TYPE_UNSUPPORTED -> PKIFailureInfo.badAlg;
            case CSR_MALFORMED -> PKIFailureInfo.badDataFormat;
            case CONFIRMATION_INVALID, RENEWAL_NOT_FOUND -> PKIFailureInfo.badCertId;
            case CA_UNAVAILABLE -> PKIFailureInfo.systemUnavail;
            case INTERNAL_ERROR -> PKIFailureInfo.systemFailure;
            default -> PKIFailureInfo.badRequest;
        };
    }
}
