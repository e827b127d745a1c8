package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cardrenew.server.audit.AuditVerification;
import org.junit.jupiter.api.Test;

/** What the verification command prints and its exit code. */
class AuditVerifyCommandTest {

    @Test
    void anIntactTrailExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AuditVerifyCommand.report(
                new AuditVerification(true, null, null, 6, 2, 6, true, 0, 0),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("intact: 6 records, 2 signed checkpoints");
    }

    @Test
    void aTamperedTrailNamesTheFirstBadRecordAndExitsThree() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AuditVerifyCommand.report(
                new AuditVerification(false, 3L, "record 3 is missing", 5, 2, 0, true, 0, 0),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("first bad record 3: record 3 is missing");
    }

    @Test
    void aTrailCheckedAgainstTheKeyOnDiskSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditVerifyCommand.report(
                new AuditVerification(true, null, null, 6, 2, 6, false, 0, 0),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("audit key on disk");
    }
}
