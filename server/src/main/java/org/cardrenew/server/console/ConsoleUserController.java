package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.ConsoleCardRepository;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.store.HolderId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Role assignment by the administrator (admin token): console users and their roles. */
@RestController
public class ConsoleUserController {

    /** A user to create: password generated when absent. */
    public record UserRequest(String name, ConsoleRole role, String password) {}

    /** A user as listed: never the password or TOTP key. */
    public record UserView(String name, String role, String createdAt, String createdBy) {}

    private final ConsoleUsers users;
    private final ConsoleUserRepository repository;
    private final AuditLog audit;
    private final ConsoleCardRepository cards;
    private final Clock clock;

    public ConsoleUserController(
            ConsoleUsers users,
            ConsoleUserRepository repository,
            AuditLog audit,
            ConsoleCardRepository cards,
            Clock clock) {
        this.users = users;
        this.repository = repository;
        this.audit = audit;
        this.cards = cards;
        this.clock = clock;
    }

    @GetMapping("/api/v1/admin/console/users")
    public List<UserView> list() {
        return repository.all().stream()
                .map(u -> new UserView(u.name(), u.role(), u.createdAt().toString(), u.createdBy()))
                .toList();
    }

    /** A certificate (hex serial) of the officer's card: its holder is bound to the user for smart-card sign-in. */
    public record CardRequest(String serial) {}

    /**
     * Binds an officer's card to the user by the card holder's identity: 201, 400 for a serial this CA never issued,
     * 404 for an unknown user, 409 if the holder's card is already bound.
     */
    @PostMapping("/api/v1/admin/console/users/{name}/cards")
    public ResponseEntity<Void> bindCard(
            @PathVariable String name, @RequestBody CardRequest request, HttpServletRequest http) {
        if (request == null || request.serial() == null || !request.serial().matches("[0-9a-fA-F]{1,64}")) {
            return ResponseEntity.badRequest().build();
        }
        if (repository.find(name).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        String serial = request.serial().toLowerCase(java.util.Locale.ROOT);
        Optional<HolderId> holder = cards.holderOf(serial);
        if (holder.isEmpty()) {
            return ResponseEntity.badRequest().build();
        }
        try {
            cards.bind(holder.get(), name, clock.instant());
        } catch (DuplicateKeyException taken) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        audit.record(AuditEvent.success(
                        AuditEvent.ADMIN, AuditAction.CONSOLE_USER_CREATED, new ClientAddress(http.getRemoteAddr()))
                .code("CARD_BOUND")
                .certificate(serial)
                .detail("card of holder " + holder.get().value() + " bound to " + name));
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    /** 201 with the password and otpauth:// URI, shown this once; 409 if the name is taken; 400 if invalid. */
    @PostMapping("/api/v1/admin/console/users")
    public ResponseEntity<NewConsoleUser> create(@RequestBody UserRequest request, HttpServletRequest http) {
        if (request == null || request.role() == null) {
            return ResponseEntity.badRequest().build();
        }
        try {
            NewConsoleUser created = users.create(request.name(), request.role(), request.password(), AuditEvent.ADMIN);
            audit.record(AuditEvent.success(
                            AuditEvent.ADMIN, AuditAction.CONSOLE_USER_CREATED, new ClientAddress(http.getRemoteAddr()))
                    .code(created.role().name())
                    .detail("console user " + created.name()));
            return ResponseEntity.status(HttpStatus.CREATED).body(created);
        } catch (IllegalArgumentException invalid) {
            return ResponseEntity.badRequest().build();
        } catch (DuplicateKeyException taken) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
    }

    /** Ends a console account's lock (after repeated failed sign-ins) before it expires: 204, or 404 for no such user. */
    @DeleteMapping("/api/v1/admin/console/users/{name}/lock")
    public ResponseEntity<Void> unlock(@PathVariable String name, HttpServletRequest http) {
        return users.unlock(name, AuditEvent.ADMIN, new ClientAddress(http.getRemoteAddr()))
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }
}
