package org.cardrenew.server.cmp;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.cardrenew.protocol.ErrorCode;

/**
 * Turns the bytes of a CMP request into a PKIMessage, and says which failures of BouncyCastle's lazy parsers mean
 * "malformed input" (answered REQUEST_INVALID / badDataFormat) rather than a failure on our side.
 */
final class CmpMessageReader {

    private CmpMessageReader() {}

    /** @throws CmpRefusal REQUEST_INVALID (badDataFormat) unless the bytes are one DER PKIMessage with a header and body */
    static PKIMessage read(byte[] der) {
        try {
            PKIMessage message = PKIMessage.getInstance(ASN1Primitive.fromByteArray(der));
            message.getHeader().getPvno();
            message.getBody().getType();
            return message;
        } catch (IOException | RuntimeException e) {
            throw new CmpRefusal(ErrorCode.REQUEST_INVALID, PKIFailureInfo.badDataFormat, "not a DER PKIMessage");
        }
    }

    /**
     * BouncyCastle's structure classes parse on access and throw these for DER that is not the structure its place
     * promises (a body that is not what its type says, an OID where an integer belongs). Some of them also index into
     * a SEQUENCE without checking its size, so an index failure thrown by BouncyCastle's ASN.1 code itself is malformed
     * input too; the same failure thrown by our code, and anything else, is a bug.
     */
    static boolean isMalformedStructure(RuntimeException e) {
        return e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof ClassCastException
                || e instanceof ArithmeticException
                || (e instanceof IndexOutOfBoundsException && thrownByAsn1Parser(e));
    }

    /** Whether the first frame of the failure outside the JDK is in BouncyCastle's ASN.1 structure classes. */
    private static boolean thrownByAsn1Parser(RuntimeException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String type = frame.getClassName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.")) {
                return type.startsWith("org.bouncycastle.asn1.");
            }
        }
        return false;
    }

    /** The refusal of a message whose body (of this type) turned out malformed; the library's text is not echoed. */
    static CmpRefusal malformedBody(int bodyType) {
        return new CmpRefusal(
                ErrorCode.REQUEST_INVALID,
                PKIFailureInfo.badDataFormat,
                "the body (type " + bodyType + ") is malformed");
    }

    /**
     * The certReqId a pollReq asks about (RFC 4210 §5.3.22: PollReqContent ::= SEQUENCE OF SEQUENCE { certReqId
     * INTEGER }): the first one, 0 when the list is empty. BouncyCastle's {@code getCertReqIdValues()} throws an
     * ArrayIndexOutOfBoundsException for an empty inner SEQUENCE, which CmpService answered as its own failure
     * (systemFailure, logged as an error): every entry is read here as exactly one INTEGER instead.
     *
     * @throws CmpRefusal REQUEST_INVALID (badDataFormat) when an entry is not a SEQUENCE of one INTEGER
     */
    static ASN1Integer pollCertReqId(PKIBody body) {
        try {
            ASN1Integer first = null;
            for (ASN1Encodable entry : ASN1Sequence.getInstance(body.getContent())) {
                ASN1Sequence fields = ASN1Sequence.getInstance(entry);
                if (fields.size() != 1) {
                    throw malformedBody(PKIBody.TYPE_POLL_REQ);
                }
                ASN1Integer certReqId = ASN1Integer.getInstance(fields.getObjectAt(0));
                first = first == null ? certReqId : first;
            }
            return first == null ? new ASN1Integer(0) : first;
        } catch (IllegalArgumentException | IllegalStateException notAnInteger) {
            throw malformedBody(PKIBody.TYPE_POLL_REQ);
        }
    }
}
