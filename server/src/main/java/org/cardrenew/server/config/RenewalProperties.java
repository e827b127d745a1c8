package org.cardrenew.server.config;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Renewal policy.
 *
 * @param window         the renewal window opens this long before notAfter
 * @param validity       validity of renewed certificates; unset: the original length of the certificate renewed
 * @param tokenTtl       life of a renewal token
 * @param revokeOldAfter unset (default): superseded pairs are not revoked; set: a superseded pair is due for
 *                       revocation this long after the renewal completed (persisted as card_pair.revoke_after)
 * @param abandonedAfter a renewal still REQUESTED (nothing issued) this long after it was claimed counts as
 *                       abandoned: a request with other keys may take it over instead of getting RENEWAL_IN_PROGRESS
 * @param confirmWithin  an ISSUED renewal the card has not confirmed this long after issuance is closed: its new
 *                       certificates revoked (cessationOfOperation), the renewal EXPIRED_UNCONFIRMED (issue 12)
 */
@ConfigurationProperties("cardrenew.renewal")
public record RenewalProperties(
        @DefaultValue("P30D") Duration window,
        Duration validity,
        @DefaultValue("PT15M") Duration tokenTtl,
        Duration revokeOldAfter,
        @DefaultValue("PT15M") Duration abandonedAfter,
        @DefaultValue("P7D") Duration confirmWithin) {

    public Optional<Duration> configuredValidity() {
        return Optional.ofNullable(validity);
    }

    public Optional<Duration> revocationGrace() {
        return Optional.ofNullable(revokeOldAfter);
    }
}
