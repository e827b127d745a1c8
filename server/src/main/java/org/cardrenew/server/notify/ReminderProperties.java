package org.cardrenew.server.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Expiry reminders (issue 4); SMTP itself is configured by the standard {@code spring.mail.*} properties.
 *
 * @param enabled       false: no scheduled scan or delivery on this node (tests, or a node that should not send)
 * @param offsets       days before notAfter; offset d is due from 00:00 in {@code zone} on the day notAfter − d
 * @param scanInterval  how often the scan looks for reminders that became due
 * @param sendInterval  how often the sender delivers due reminders from the outbox
 * @param initialDelay  first scan and delivery after start-up
 * @param zone          the calendar the reminder days are counted in (holders are in Taiwan)
 * @param from          the From address of reminder mails
 * @param batchSize     reminders one sender claims at a time
 * @param claimLease    how long a claimed reminder belongs to its sender; far longer than an SMTP delivery can take
 *                      (spring.mail.properties.mail.smtp.*timeout), so a lease never runs out during a send
 * @param retryInitial  wait after the first failed attempt; doubled after each further failure
 * @param retryMax      the longest wait between attempts
 */
@ConfigurationProperties("cardrenew.reminders")
public record ReminderProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"30", "14", "7", "1"}) List<Integer> offsets,
        @DefaultValue("PT1H") Duration scanInterval,
        @DefaultValue("PT1M") Duration sendInterval,
        @DefaultValue("PT1M") Duration initialDelay,
        @DefaultValue("Asia/Taipei") ZoneId zone,
        @DefaultValue("CardRenew <noreply@localhost>") String from,
        @DefaultValue("50") int batchSize,
        @DefaultValue("PT5M") Duration claimLease,
        @DefaultValue("PT1M") Duration retryInitial,
        @DefaultValue("PT1H") Duration retryMax) {

    public ReminderProperties {
        if (offsets == null || offsets.isEmpty() || offsets.stream().anyMatch(d -> d == null || d < 0)) {
            throw new IllegalArgumentException("cardrenew.reminders.offsets must list days >= 0, e.g. 30,14,7,1");
        }
        offsets = offsets.stream().distinct().sorted().toList();
        if (batchSize < 1) {
            throw new IllegalArgumentException("cardrenew.reminders.batch-size must be at least 1");
        }
        try {
            new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("cardrenew.reminders.from is not an address: " + from, e);
        }
    }

    /** The defaults, for tests and tools that run without Spring. */
    public static ReminderProperties defaults() {
        return new ReminderProperties(
                true,
                List.of(30, 14, 7, 1),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                ZoneId.of("Asia/Taipei"),
                "CardRenew <noreply@localhost>",
                50,
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                Duration.ofHours(1));
    }
}
