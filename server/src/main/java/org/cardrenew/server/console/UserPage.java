package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.ConsoleCardRepository;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.store.HolderId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Administrators: the console users with their roles, a form to create one (the same service and audit as
 * POST /api/v1/admin/console/users, the signed-in administrator as actor) and one to bind a card to a user.
 */
@Controller
public class UserPage {

    private final ConsoleUsers users;
    private final ConsoleUserRepository repository;
    private final ConsoleCardRepository cards;
    private final AuditLog audit;
    private final Clock clock;

    public UserPage(
            ConsoleUsers users,
            ConsoleUserRepository repository,
            ConsoleCardRepository cards,
            AuditLog audit,
            Clock clock) {
        this.users = users;
        this.repository = repository;
        this.cards = cards;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/users")
    public String list(Model model) {
        model.addAttribute("users", repository.all());
        model.addAttribute("roles", List.of(ConsoleRole.values()));
        model.addAttribute("locks", repository.locks(clock.instant()));
        return "console/users";
    }

    /** Creates the user and shows the password and otpauth:// URI this once (not redirected: never in a URL). */
    @PostMapping("/console/users")
    public String create(
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String role,
            Authentication admin,
            Model model,
            HttpServletRequest http) {
        ConsoleRole chosen = roleOf(role);
        try {
            if (chosen == null) {
                throw new IllegalArgumentException("role");
            }
            NewConsoleUser created = users.create(name, chosen, null, admin.getName());
            audit.record(AuditEvent.success(
                            admin.getName(), AuditAction.CONSOLE_USER_CREATED, new ClientAddress(http.getRemoteAddr()))
                    .code(created.role().name())
                    .detail("console user " + created.name()));
            model.addAttribute("created", created);
        } catch (IllegalArgumentException invalid) {
            model.addAttribute("refused", "INVALID");
        } catch (DuplicateKeyException taken) {
            model.addAttribute("refused", "TAKEN");
        }
        return list(model);
    }

    /**
     * Binds the holder of a certificate (hex serial) to the user for card sign-in: the holder's current signing
     * certificate signs in, before and after renewals. The outcome in the redirect.
     */
    @PostMapping("/console/users/{name}/cards")
    public String bindCard(
            @PathVariable String name,
            @RequestParam(required = false) String serial,
            Authentication admin,
            HttpServletRequest http) {
        if (serial == null || !serial.strip().matches("[0-9a-fA-F]{1,64}")) {
            return "redirect:/console/users?refused=INVALID";
        }
        if (repository.find(name).isEmpty()) {
            return "redirect:/console/users?refused=UNKNOWN_USER";
        }
        String hex = serial.strip().toLowerCase(Locale.ROOT);
        Optional<HolderId> holder = cards.holderOf(hex);
        if (holder.isEmpty()) {
            return "redirect:/console/users?refused=UNKNOWN_CARD";
        }
        try {
            cards.bind(holder.get(), name, clock.instant());
        } catch (DuplicateKeyException taken) {
            return "redirect:/console/users?refused=CARD_TAKEN";
        }
        audit.record(AuditEvent.success(
                        admin.getName(), AuditAction.CONSOLE_USER_CREATED, new ClientAddress(http.getRemoteAddr()))
                .code("CARD_BOUND")
                .certificate(hex)
                .detail("card of holder " + holder.get().value() + " bound to " + name));
        return "redirect:/console/users?bound";
    }

    /** Ends a lock after repeated failed sign-ins before it expires (the same as the admin API). */
    @PostMapping("/console/users/{name}/unlock")
    public String unlock(@PathVariable String name, Authentication admin, HttpServletRequest http) {
        return users.unlock(name, admin.getName(), new ClientAddress(http.getRemoteAddr()))
                ? "redirect:/console/users?unlocked"
                : "redirect:/console/users?refused=UNKNOWN_USER";
    }

    private static ConsoleRole roleOf(String role) {
        for (ConsoleRole r : ConsoleRole.values()) {
            if (r.name().equals(role)) {
                return r;
            }
        }
        return null;
    }
}
