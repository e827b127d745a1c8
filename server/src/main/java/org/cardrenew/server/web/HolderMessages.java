package org.cardrenew.server.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** Holder-facing sentences from messages.properties (zh-TW, the default) and messages_en.properties. */
@Component
public class HolderMessages {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final MessageSource messages;

    public HolderMessages(MessageSource messages) {
        this.messages = messages;
    }

    public String error(ErrorCode code) {
        return error(code, LocaleContextHolder.getLocale());
    }

    public String error(ErrorCode code, Locale locale) {
        return messages.getMessage("error." + code.name(), null, code.name(), locale);
    }

    public String status(CertificateStatus status, Instant windowOpens) {
        Object[] args = {windowOpens == null ? "" : DATE_TIME.format(windowOpens)};
        return messages.getMessage("status." + status.name(), args, status.name(), LocaleContextHolder.getLocale());
    }
}
