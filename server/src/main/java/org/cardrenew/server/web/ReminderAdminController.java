package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.notify.ReminderAdministration;
import org.cardrenew.server.notify.ReminderPage;
import org.cardrenew.server.notify.ReminderScanRun;
import org.cardrenew.server.notify.UnreachableHolders;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.ReminderState;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.LocaleResolver;

/** Admin API over the expiry-reminder outbox (issue 4): list, re-send, holders without an e-mail address, scan now. */
@RestController
@RequestMapping(path = "/api/v1/admin/reminders", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin", description = "Administration, authenticated by the admin API token")
@SecurityRequirement(name = OpenApiConfiguration.ADMIN_TOKEN)
public class ReminderAdminController {

    private final ReminderAdministration reminders;
    private final MessageSource messages;
    private final LocaleResolver locales;

    public ReminderAdminController(ReminderAdministration reminders, MessageSource messages, LocaleResolver locales) {
        this.reminders = reminders;
        this.messages = messages;
        this.locales = locales;
    }

    @GetMapping
    @Operation(
            summary = "List reminders, newest first",
            description = "state: PENDING, SENT, FAILED, SKIPPED, CANCELLED or NO_ADDRESS (all when absent); "
                    + "counts holds every state's total")
    @ApiResponse(responseCode = "200", description = "one page of the outbox")
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID: unknown state, bad page or size")
    @ApiResponse(responseCode = "401", description = "ADMIN_UNAUTHORIZED")
    public ReminderPage list(
            @RequestParam(required = false) String state,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        requirePage(page, size);
        return reminders.list(state(state), page, size);
    }

    @PostMapping("/{id}/resend")
    @Operation(
            summary = "Re-send one reminder",
            description =
                    "Queues it again with a new Message-ID; the sender delivers it within cardrenew.reminders.send-interval "
                            + "unless the pair was renewed, revoked or expired meanwhile")
    @ApiResponse(responseCode = "202", description = "queued; the reminder as it is now")
    @ApiResponse(responseCode = "404", description = "REMINDER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "REMINDER_BUSY: a sender is delivering it right now")
    public ResponseEntity<?> resend(@PathVariable long id, HttpServletRequest request) {
        return switch (reminders.resend(id, RequestOrigin.of(request))) {
            case QUEUED ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(reminders.find(id).orElseThrow());
            case NOT_FOUND -> error(HttpStatus.NOT_FOUND, "REMINDER_NOT_FOUND", request);
            case BUSY -> error(HttpStatus.CONFLICT, "REMINDER_BUSY", request);
        };
    }

    @PostMapping("/scans")
    @Operation(
            summary = "Run the reminder scan now",
            description = "Runs the scan on this node at once instead of waiting for cardrenew.reminders.scan-interval "
                    + "(also when cardrenew.reminders.enabled=false) and answers when it is done: reminders created "
                    + "(PENDING, and SKIPPED for missed offsets), PENDING ones cancelled (renewed, revoked, expired) and "
                    + "skipped (overtaken), the outbox counts after it, and how long it took. Safe while a scheduled "
                    + "scan runs: each reminder is created once. The sender delivers new reminders within "
                    + "cardrenew.reminders.send-interval. Audited as REMINDER_SCAN_RUN")
    @ApiResponse(responseCode = "200", description = "the scan is done; what it changed")
    @ApiResponse(responseCode = "401", description = "ADMIN_UNAUTHORIZED")
    public ReminderScanRun scanNow(HttpServletRequest request) {
        return reminders.scanNow(RequestOrigin.of(request));
    }

    @GetMapping("/holders-without-email")
    @Operation(summary = "Holders with a current card and no e-mail address (reminders cannot reach them)")
    @ApiResponse(responseCode = "200", description = "one page, earliest expiry first")
    public UnreachableHolders holdersWithoutEmail(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        requirePage(page, size);
        return reminders.withoutEmail(page, size);
    }

    private static void requirePage(int page, int size) {
        if (page < 0 || size < 1 || size > ReminderAdministration.MAX_PAGE_SIZE) {
            throw new RaException(
                    ErrorCode.REQUEST_INVALID, "page must be >= 0 and size 1.." + ReminderAdministration.MAX_PAGE_SIZE);
        }
    }

    private static ReminderState state(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return ReminderState.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RaException(ErrorCode.REQUEST_INVALID, "unknown reminder state " + name);
        }
    }

    private ResponseEntity<ApiError> error(HttpStatus status, String code, HttpServletRequest request) {
        Locale locale = locales.resolveLocale(request);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(code, messages.getMessage("error." + code, null, code, locale)));
    }
}
