package org.cardrenew.server.cmp;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.cardrenew.server.ra.AuthenticatedCard;
import org.cardrenew.server.ra.CardAuthenticator;
import org.cardrenew.server.ra.CardRefusal;
import org.cardrenew.server.ra.CardUse;
import org.springframework.stereotype.Component;

/**
 * Who sent a CMP message: the card whose current signing certificate protected it (RFC 4210 §5.1.3.3). {@link CmpProtection}
 * checks the protection; the card itself is checked by the RA's {@link CardAuthenticator}, for every message of a
 * transaction (kur, pollReq, certConf), so a card revoked or expired meanwhile goes no further.
 */
@Component
class CmpAuthentication {

    private final CardAuthenticator authenticator;

    CmpAuthentication(CardAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** RFC 4210 §5.1.3.3 / RFC 9483 §3.2: signature protection, the signer's certificate first in extraCerts. */
    CmpSender authenticate(PKIMessage message) {
        X509Certificate certificate = CmpProtection.verify(message);
        try {
            AuthenticatedCard card = authenticator.byProtocol(certificate, CardUse.RENEWAL);
            return new CmpSender(card.signing(), certificate);
        } catch (CardRefusal e) {
            throw new CmpRefusal(
                    e.code(), CmpFailure.bitFor(e.code()), "the protection certificate: " + e.getMessage(), e.serial());
        }
    }
}
