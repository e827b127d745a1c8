package org.cardrenew.server.revocation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CRL and OCSP publication ({@code cardrenew.revocation.*}).
 *
 * @param crlValidity          nextUpdate − thisUpdate of each CRL; a new CRL is issued on every revocation and,
 *                             at the latest, when half of this has passed
 * @param checkInterval        how often each node checks whether the CRL is due (new revocations from any node or
 *                             from the grace-period job, or half its validity gone)
 * @param ocspSignerLifetime   validity of the delegated OCSP signing certificate (id-pkix-ocsp-nocheck: keep short)
 * @param ocspResponseValidity nextUpdate − thisUpdate of OCSP responses (how long clients may cache them)
 */
@ConfigurationProperties("cardrenew.revocation")
public record RevocationProperties(
        @DefaultValue("P1D") Duration crlValidity,
        @DefaultValue("PT5M") Duration checkInterval,
        @DefaultValue("P30D") Duration ocspSignerLifetime,
        @DefaultValue("PT1H") Duration ocspResponseValidity) {}
