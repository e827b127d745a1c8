package org.cardrenew.server.notify;

import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.cardrenew.server.store.PairStatus;
import org.cardrenew.server.store.ReminderDelivery;
import org.cardrenew.server.store.ReminderId;
import org.cardrenew.server.store.ReminderRepository;
import org.cardrenew.server.store.ReminderState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due reminders from the outbox over SMTP. Several nodes may run it at once: each claims its rows
 * ({@code FOR UPDATE SKIP LOCKED} + a lease), so a reminder has one sender at a time. A failed attempt stays PENDING
 * with exponential backoff (attempts, next_attempt_at, last_error); only an address the SMTP server rejects for good
 * ends FAILED. SENT is committed right after the SMTP server accepted the message; see docs/REMINDERS.md for the one
 * window (accepted, then the node dies before that commit) in which a reminder can arrive twice, with the same
 * Message-ID.
 */
@Component
public class ReminderSender {

    private static final Logger log = LoggerFactory.getLogger(ReminderSender.class);
    /** Upper bound of claim rounds per call, so one call cannot run forever while rows keep becoming due. */
    private static final int MAX_ROUNDS = 100;

    private final ReminderRepository repository;
    private final ObjectProvider<JavaMailSender> mailSender;
    private final ReminderMail mail;
    private final ReminderMetrics metrics;
    private final TransactionTemplate transaction;
    private final ReminderProperties properties;
    private final RetryBackoff backoff;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean warnedNoMail;

    @Autowired
    public ReminderSender(
            ReminderRepository repository,
            ObjectProvider<JavaMailSender> mailSender,
            ReminderMail mail,
            ReminderMetrics metrics,
            PlatformTransactionManager transactions,
            ReminderProperties properties,
            Clock clock) {
        this.repository = repository;
        this.mailSender = mailSender;
        this.mail = mail;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactions);
        this.properties = properties;
        this.backoff = new RetryBackoff(properties.retryInitial(), properties.retryMax());
        this.clock = clock;
    }

    /** Delivers every reminder due now; returns how many were sent. Without spring.mail.host nothing is sent. */
    public int sendDue() {
        JavaMailSender smtp = mailSender.getIfAvailable();
        if (smtp == null) {
            if (!warnedNoMail) {
                warnedNoMail = true;
                log.warn("spring.mail.host is not set: expiry reminders stay PENDING in the outbox");
            }
            return 0;
        }
        int sent = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            String claimant = node + "-" + UUID.randomUUID().toString().substring(0, 8);
            List<ReminderId> claimed = transaction.execute(status ->
                    repository.claimDue(now, now.plus(properties.claimLease()), claimant, properties.batchSize()));
            for (ReminderId id : claimed) {
                if (deliver(smtp, id, claimant)) {
                    sent++;
                }
            }
            if (claimed.size() < properties.batchSize()) {
                break;
            }
        }
        metrics.outbox(repository.countByState());
        return sent;
    }

    private boolean deliver(JavaMailSender smtp, ReminderId id, String claimant) {
        ReminderDelivery delivery = repository.delivery(id).orElse(null);
        if (delivery == null) {
            return false;
        }
        Instant now = clock.instant();
        Closing closing = whyNot(delivery, now);
        if (closing != null) {
            repository.close(id, claimant, closing.state(), closing.reason(), null);
            log.info(
                    "reminder {} of pair {} not sent ({}): {}",
                    id,
                    delivery.reminder().pairId().value(),
                    closing.state(),
                    closing.reason());
            return false;
        }
        String messageId = mail.messageId(delivery);
        try {
            MimeMessage message = smtp.createMimeMessage();
            mail.write(message, delivery, now);
            smtp.send(message);
        } catch (jakarta.mail.MessagingException | RuntimeException e) {
            // MailException, and anything else (a template bug): recorded on the row, retried, never silently dropped
            failed(delivery, claimant, e);
            return false;
        }
        // Committed at once (auto-commit): from here on no node sends this reminder again.
        if (!repository.markSent(id, claimant, clock.instant(), messageId, delivery.email())) {
            log.error(
                    "reminder {} was sent as {} but its claim had run out; another node may send it again",
                    id,
                    messageId);
        }
        metrics.sent();
        log.info(
                "reminder {} ({} days) sent to holder {} as {}",
                id,
                delivery.reminder().offsetDays(),
                delivery.reminder().holderId(),
                messageId);
        return true;
    }

    /** A reminder that ends without being sent, and why. */
    private record Closing(ReminderState state, String reason) {}

    /** Why this reminder must not be sent now, or null when it should be. */
    private static Closing whyNot(ReminderDelivery d, Instant now) {
        if (d.pairStatus() == PairStatus.SUPERSEDED || d.renewed()) {
            return new Closing(ReminderState.CANCELLED, "renewed");
        }
        if (d.pairStatus() == PairStatus.REVOKED) {
            return new Closing(ReminderState.CANCELLED, "revoked");
        }
        // RFC 5280 §4.1.2.5: valid through notAfter; after it a reminder to renew online is wrong
        if (now.isAfter(d.notAfter())) {
            return new Closing(ReminderState.CANCELLED, "expired");
        }
        // catch-up rule: a scheduled reminder overtaken by a later offset is stale; an administrator's re-send is not
        if (d.reminder().generation() == 0 && d.latestOffset() < d.reminder().offsetDays()) {
            return new Closing(ReminderState.SKIPPED, "overtaken: a later reminder is due");
        }
        if (d.email() == null || d.email().isBlank()) {
            return new Closing(ReminderState.NO_ADDRESS, "the holder has no e-mail address");
        }
        return null;
    }

    private void failed(ReminderDelivery delivery, String claimant, Exception e) {
        metrics.failed();
        ReminderId id = delivery.reminder().id();
        String error = describe(e);
        if (permanent(e)) {
            repository.close(id, claimant, ReminderState.FAILED, "refused by the mail server", error);
            log.warn("reminder {} refused for good: {}", id, error);
            return;
        }
        int attempts = delivery.reminder().attempts() + 1;
        Instant next = clock.instant().plus(backoff.after(attempts));
        repository.markRetry(id, claimant, next, error);
        log.warn("reminder {} attempt {} failed, next attempt at {}: {}", id, attempts, next, error);
    }

    /** An address the server rejected (5xx on RCPT TO) or one that cannot be written: retrying would not help. */
    private static boolean permanent(Exception e) {
        if (e instanceof MailParseException
                || e instanceof MailPreparationException
                || e instanceof jakarta.mail.internet.AddressException) {
            return true;
        }
        if (e instanceof MailSendException send) {
            for (Exception cause : send.getFailedMessages().values()) {
                if (cause instanceof SendFailedException failed
                        && failed.getInvalidAddresses() != null
                        && failed.getInvalidAddresses().length > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 900; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
