package org.cardrenew.server.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The largest request body each kind of endpoint accepts ({@code cardrenew.body-limit.*}, docs/OPERATIONS.md),
 * answered 413 REQUEST_TOO_LARGE beyond it by {@link BodyLimitFilter}. Each limit lies between {@link #MIN} and
 * {@link #MAX}: a limit below what a legitimate request needs breaks the endpoint, one above lets a caller make a node
 * hold that much per request.
 *
 * @param ocsp  a DER OCSP request: a few CertIDs (each under 100 bytes), a nonce, perhaps a signature and its
 *              certificate
 * @param est   a base64 PKCS#10 request for EST simplereenroll: an RSA-4096 CSR is about 2.3 KB in base64
 * @param cmp   a CMP PKIMessage: two CRMF requests, the protection and extraCerts (the card's certificate chain)
 * @param other JSON of the RA API (two base64 CSRs at most) and console forms (two pasted PEM CSRs at most)
 */
@ConfigurationProperties("cardrenew.body-limit")
public record BodyLimitProperties(
        @DefaultValue("16KB") DataSize ocsp,
        @DefaultValue("16KB") DataSize est,
        @DefaultValue("64KB") DataSize cmp,
        @DefaultValue("64KB") DataSize other) {

    static final DataSize MIN = DataSize.ofKilobytes(4);
    static final DataSize MAX = DataSize.ofMegabytes(1);

    public BodyLimitProperties {
        bounded("ocsp", ocsp);
        bounded("est", est);
        bounded("cmp", cmp);
        bounded("other", other);
    }

    private static void bounded(String name, DataSize limit) {
        if (limit == null || limit.compareTo(MIN) < 0 || limit.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(
                    "cardrenew.body-limit." + name + " must lie between 4KB and 1MB, not " + limit);
        }
    }
}
