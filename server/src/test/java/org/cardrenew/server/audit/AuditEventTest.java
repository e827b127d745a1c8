package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The event's serials are stored exactly as records written before the list was a list, so old chains verify. */
class AuditEventTest {

    private static final ClientAddress FROM = new ClientAddress("192.0.2.1");

    @Test
    void serialsAreStoredCommaJoinedInTheOrderNamed() {
        AuditEvent issued = AuditEvent.success("0a", AuditAction.RENEWAL_ISSUED, FROM)
                .code("ISSUED")
                .certificate("0a")
                .certificates(List.of("1b", "2c"))
                .renewal("r");

        assertThat(issued.certificateSerials()).containsExactly("0a", "1b", "2c");
        assertThat(issued.storedSerials()).isEqualTo("0a,1b,2c");
    }

    @Test
    void anEventNamingNoCertificateStoresNull() {
        AuditEvent event = AuditEvent.refused(
                        AuditEvent.ANONYMOUS, AuditAction.REQUEST_REFUSED, "REQUEST_INVALID", FROM)
                .certificate(null);

        assertThat(event.certificateSerials()).isEmpty();
        assertThat(event.storedSerials()).isNull();
    }

    @Test
    void theFactoriesSetTheOutcomeAndLeaveTheRestEmpty() {
        assertThat(AuditEvent.success("admin", AuditAction.ENROLLED, FROM).outcome())
                .isEqualTo(AuditOutcome.SUCCESS);
        AuditEvent error = AuditEvent.error("1a", AuditAction.REQUEST_FAILED, "INTERNAL_ERROR", FROM);
        assertThat(error.outcome()).isEqualTo(AuditOutcome.ERROR);
        assertThat(error.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.renewalId()).isNull();
        assertThat(error.detail()).isNull();
        assertThat(error.clientAddress()).isEqualTo(FROM);
    }

    @Test
    void eventsWithTheSameContentAreEqual() {
        assertThat(AuditEvent.success("a", AuditAction.ENROLLED, FROM)
                        .certificate("1a")
                        .detail("d"))
                .isEqualTo(AuditEvent.success("a", AuditAction.ENROLLED, FROM)
                        .certificate("1a")
                        .detail("d"))
                .isNotEqualTo(AuditEvent.success("a", AuditAction.ENROLLED, FROM)
                        .certificate("1b")
                        .detail("d"));
    }
}
