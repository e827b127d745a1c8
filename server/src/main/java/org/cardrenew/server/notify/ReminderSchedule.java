package org.cardrenew.server.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the scan every cardrenew.reminders.scan-interval and the sender every cardrenew.reminders.send-interval.
 * Off with cardrenew.reminders.enabled=false (the outbox then fills only when another node scans, or when an
 * administrator runs a scan on this one: POST /api/v1/admin/reminders/scans).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "cardrenew.reminders", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ReminderSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ReminderSchedule.class);

    private final ReminderScan scan;
    private final ReminderSender sender;
    private final ReminderProperties properties;

    public ReminderSchedule(ReminderScan scan, ReminderSender sender, ReminderProperties properties) {
        this.scan = scan;
        this.sender = sender;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(
                () -> run("scan", scan::scan), properties.scanInterval(), properties.initialDelay()));
        registrar.addFixedDelayTask(new FixedDelayTask(
                () -> run("delivery", sender::sendDue), properties.sendInterval(), properties.initialDelay()));
    }

    /** A failed round (database briefly away) is logged; the next round tries again. */
    private static void run(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("reminder {} failed; next round tries again", what, e);
        }
    }
}
