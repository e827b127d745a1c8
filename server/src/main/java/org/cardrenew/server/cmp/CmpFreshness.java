package org.cardrenew.server.cmp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CmpReplayRepository;
import org.springframework.stereotype.Component;

/**
 * Refuses stale and replayed CMP messages (RFC 4210 §5.1.1, RFC 9483 §3.1): messageTime must lie within
 * {@code cardrenew.cmp.message-time-window} of the clock, every senderNonce is accepted once, and a transactionID
 * starts one transaction only. The values seen are kept in the database until their message would fail the
 * messageTime check anyway, so the refusal holds on every node and across restarts while the table stays bounded.
 */
@Component
class CmpFreshness {

    /** RFC 9483 §3.1: transactionID and senderNonce are 128 bits; leave room, never unbounded. */
    private static final int MIN_OCTETS = 8;

    private static final int MAX_OCTETS = 64;

    private final CmpReplayRepository seen;
    private final CmpProperties properties;
    private final Clock clock;

    CmpFreshness(CmpReplayRepository seen, CmpProperties properties, Clock clock) {
        this.seen = seen;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Checks an authenticated message (so that only cards fill the table) and remembers its nonce and, when it
     * starts a transaction, its transactionID.
     */
    void check(PKIHeader header, String serial, boolean startsTransaction) {
        Instant now = clock.instant();
        Duration window = properties.messageTimeWindow();
        if (header.getMessageTime() == null) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badTime,
                    "messageTime is required (RFC 4210 §5.1.1): it bounds how long a message can be replayed",
                    serial);
        }
        Instant sent;
        try {
            sent = header.getMessageTime().getDate().toInstant();
        } catch (java.text.ParseException | RuntimeException e) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID, PKIFailureInfo.badDataFormat, "messageTime is malformed", serial);
        }
        if (sent.isBefore(now.minus(window)) || sent.isAfter(now.plus(window))) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badTime,
                    "messageTime " + sent + " is more than " + window + " from the server's time " + now,
                    serial);
        }
        // A replay must come within the window of its (signed) messageTime; after that the time check refuses it.
        Instant until = sent.plus(window);
        String nonce = octets(header.getSenderNonce(), "senderNonce", PKIFailureInfo.badSenderNonce, serial);
        if (!seen.rememberFirstUse(CmpReplayRepository.Kind.SENDER_NONCE, nonce, until)) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    PKIFailureInfo.badSenderNonce,
                    "senderNonce was used before: a replayed message",
                    serial);
        }
        if (startsTransaction) {
            String transaction = octets(header.getTransactionID(), "transactionID", PKIFailureInfo.badRequest, serial);
            if (!seen.rememberFirstUse(CmpReplayRepository.Kind.TRANSACTION, transaction, until)) {
                throw new CmpRefusal(
                        ErrorCode.REQUEST_INVALID,
                        PKIFailureInfo.transactionIdInUse,
                        "transactionID is in use: start a new transaction with a fresh one",
                        serial);
            }
        }
    }

    private static String octets(ASN1OctetString value, String field, int failureBit, String serial) {
        if (value == null || value.getOctets().length < MIN_OCTETS || value.getOctets().length > MAX_OCTETS) {
            throw new CmpRefusal(
                    ErrorCode.REQUEST_INVALID,
                    failureBit,
                    field + " must be present, " + MIN_OCTETS + " to " + MAX_OCTETS + " octets",
                    serial);
        }
        return HexFormat.of().formatHex(value.getOctets());
    }
}
