package org.cardrenew.server.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.ReminderDelivery;
import org.springframework.context.MessageSource;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Writes one reminder mail: multipart/alternative with a plain text and an HTML part from templates/mail/, in the
 * holder's language (zh-TW, or English), with Date and a Message-ID that is stable across retries. It carries the
 * subject DN, the expiry, the date the renewal window opens and the link to the renewal page; never a token or PIN.
 */
@Component
public class ReminderMail {

    static final Locale TAIWAN = Locale.forLanguageTag("zh-TW");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm '(UTC'xxx')'");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final SpringTemplateEngine templates = new SpringTemplateEngine();
    private final MessageSource messages;
    private final URI renewalPage;
    private final String messageIdDomain;
    private final Duration window;
    private final ZoneId zone;
    private final String from;

    public ReminderMail(
            MessageSource messages,
            CardRenewProperties server,
            RenewalProperties renewal,
            ReminderProperties reminders) {
        this.messages = messages;
        this.renewalPage = server.publicUrl("/");
        String host = server.publicUrl().getHost();
        this.messageIdDomain = host == null || host.isBlank() ? "cardrenew.localhost" : host;
        this.window = renewal.window();
        this.zone = reminders.zone();
        this.from = reminders.from();
        // A private engine, not a bean: Boot's page engine (templates/*.html) stays as it is.
        templates.setTemplateEngineMessageSource(messages);
        templates.addTemplateResolver(resolver(TemplateMode.TEXT, ".txt", 1));
        templates.addTemplateResolver(resolver(TemplateMode.HTML, ".html", 2));
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String suffix, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/mail/");
        resolver.setResolvablePatterns(java.util.Set.of("*" + suffix));
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resolver.setCheckExistence(true);
        resolver.setOrder(order);
        return resolver;
    }

    /**
     * RFC 5322 §3.6.4: one Message-ID per reminder and generation, the same on every retry, so a copy delivered twice
     * (SMTP accepted, then the node died before recording it) is recognisable as the same message.
     */
    public String messageId(ReminderDelivery delivery) {
        return "<reminder-" + delivery.reminder().id().value() + "."
                + delivery.reminder().generation() + "@" + messageIdDomain + ">";
    }

    public static Locale locale(String language) {
        return "en".equalsIgnoreCase(language) ? Locale.ENGLISH : TAIWAN;
    }

    /** Fills the message; {@code now} becomes its Date header (RFC 5322 §3.6.1). */
    public void write(MimeMessage message, ReminderDelivery delivery, Instant now) throws MessagingException {
        Locale locale = locale(delivery.language());
        String expiry = DATE_TIME.format(delivery.notAfter().atZone(zone));
        Map<String, Object> variables = Map.of(
                "name", delivery.holderName(),
                "subjectDn", delivery.subjectDn(),
                "expiry", expiry,
                "windowOpens",
                        DATE_TIME.format(delivery.notAfter().minus(window).atZone(zone)),
                "link", renewalPage.toString());
        Context context = new Context(locale, variables);
        String text = templates.process("reminder.txt", context);
        String html = templates.process("reminder.html", context);
        String subject = messages.getMessage(
                "mail.reminder.subject",
                new Object[] {DATE.format(delivery.notAfter().atZone(zone))},
                locale);

        MimeMessageHelper helper = new MimeMessageHelper(
                message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED, StandardCharsets.UTF_8.name());
        helper.setFrom(from);
        helper.setTo(delivery.email());
        helper.setSubject(subject);
        helper.setSentDate(Date.from(now));
        helper.setText(text, html);
        message.setHeader("Message-ID", messageId(delivery));
        message.setHeader("Content-Language", locale.toLanguageTag());
        // RFC 3834 §5: machine-generated, so auto-responders do not answer it
        message.setHeader("Auto-Submitted", "auto-generated");
    }
}
