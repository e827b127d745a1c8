package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrBreakdownTest {

    @Test
    void anAuditAppendCountsAsAuditEvenWhenItsFramesRunSql() {
        assertThat(JfrBreakdown.Work.of(List.of(
                        "org.postgresql.core.v3.QueryExecutorImpl.execute",
                        "org.cardrenew.server.audit.AuditLog.appendQueued",
                        "org.apache.catalina.connector.CoyoteAdapter.service")))
                .isEqualTo(JfrBreakdown.Work.AUDIT);
    }

    @Test
    void aSignatureCheckUnderACsrParseCountsAsCryptoAndTheParseAloneAsX509() {
        assertThat(JfrBreakdown.Work.of(List.of(
                        "java.math.BigInteger.oddModPow",
                        "java.security.Signature$Delegate.engineVerify",
                        "org.bouncycastle.pkcs.PKCS10CertificationRequest.isSignatureValid")))
                .isEqualTo(JfrBreakdown.Work.CRYPTO);
        assertThat(JfrBreakdown.Work.of(List.of(
                        "org.bouncycastle.asn1.ASN1InputStream.readObject",
                        "org.cardrenew.server.ra.CertificationRequest.parse")))
                .isEqualTo(JfrBreakdown.Work.X509);
    }

    @Test
    void whatIsNeitherCryptoNorSqlNorAuditIsHttpAndJson() {
        assertThat(JfrBreakdown.Work.of(List.of(
                        "tools.jackson.core.json.UTF8JsonGenerator._writeStringSegment",
                        "org.springframework.web.servlet.DispatcherServlet.doDispatch")))
                .isEqualTo(JfrBreakdown.Work.HTTP_JSON);
        assertThat(JfrBreakdown.Work.of(List.of(
                        "org.cardrenew.server.store.RenewalRepository.find",
                        "org.cardrenew.server.ra.RenewalService.renew")))
                .isEqualTo(JfrBreakdown.Work.SQL);
    }

    @Test
    void theCpuIsSharedOutBySamples() {
        var split = new JfrBreakdown.WorkSplit(Map.of(JfrBreakdown.Work.CRYPTO, 3, JfrBreakdown.Work.HTTP_JSON, 1), 4);

        List<String> lines = split.lines(8.0);

        assertThat(lines).hasSize(JfrBreakdown.Work.values().length);
        assertThat(lines).anyMatch(l -> l.startsWith("   6.00 ms  75.0%  crypto"));
        assertThat(lines).anyMatch(l -> l.startsWith("   2.00 ms  25.0%  HTTP/JSON"));
        assertThat(lines).anyMatch(l -> l.startsWith("   0.00 ms   0.0%  SQL"));
    }
}
