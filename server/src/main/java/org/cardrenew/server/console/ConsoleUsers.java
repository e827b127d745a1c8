package org.cardrenew.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.ConsoleUser;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Creates console users and checks their sign-in: password and a TOTP code (RFC 6238), each code used once; an account
 * is locked after repeated failures ({@link ConsoleLockoutProperties}). TOTP keys are stored sealed ({@link TotpKeySeal}).
 */
@Service
public class ConsoleUsers {

    private static final Logger log = LoggerFactory.getLogger(ConsoleUsers.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleUserRepository users;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final Clock clock;
    private final TotpKeySeal seal;
    private final ConsoleLockoutProperties lockout;
    private final AuditLog audit;
    /** No console user has this name (names are letters, digits and . _ @ -): its UPDATE matches no row. */
    private static final String DUMMY_NAME = " no such user ";
    /** Compared against when the name is unknown or locked, so timing does not reveal which names exist. */
    private final String dummyHash;

    public ConsoleUsers(
            ConsoleUserRepository users,
            Clock clock,
            TotpKeySeal seal,
            ConsoleLockoutProperties lockout,
            AuditLog audit) {
        this.users = users;
        this.clock = clock;
        this.seal = seal;
        this.lockout = lockout;
        this.audit = audit;
        this.dummyHash = passwords.encode(randomText(18));
    }

    /** Creates a user with a generated password unless one is given; DuplicateKeyException if the name is taken. */
    public NewConsoleUser create(String name, ConsoleRole role, String password, String createdBy) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("a console user name is 1 to 64 letters, digits or . _ @ -");
        }
        String secret = password != null && !password.isBlank() ? password : randomText(18);
        byte[] totpKey = new byte[20];
        RANDOM.nextBytes(totpKey);
        users.insert(new ConsoleUser(
                name, role.name(), passwords.encode(secret), seal.seal(name, totpKey), -1, clock.instant(), createdBy));
        return new NewConsoleUser(name, role, secret, otpauthUri(name, totpKey));
    }

    /**
     * The role of the user when name, password and a fresh TOTP code all match. A failure counts against the account;
     * the one that reaches the limit locks it (audited). A locked account, an unknown name and a wrong password cost the
     * same work — one password hash comparison, one failure-count UPDATE — so neither the answer (the caller shows the
     * same page for all three) nor its time tells which names exist or which are locked; unknown names leave nothing
     * behind (the UPDATE matches no row).
     *
     * @throws ConsoleAccountLocked when the account is locked: password and code are not accepted
     */
    public Optional<ConsoleRole> authenticate(String name, String password, String code, ClientAddress from) {
        Instant now = clock.instant();
        Optional<Instant> locked = name == null ? Optional.empty() : users.lockedUntil(name, now);
        Optional<ConsoleUser> user = name == null ? Optional.empty() : users.find(name);
        boolean passwordOk = passwords.matches(
                password == null ? "" : password,
                user.filter(u -> locked.isEmpty())
                        .map(ConsoleUser::passwordHash)
                        .orElse(dummyHash));
        if (locked.isPresent()) {
            users.countFailure(DUMMY_NAME);
            throw new ConsoleAccountLocked(name, locked.get());
        }
        if (user.isEmpty()) {
            users.countFailure(name == null ? DUMMY_NAME : name);
            return Optional.empty();
        }
        long step = passwordOk ? Totp.matchingStep(seal.open(name, user.get().totpKey()), code, now) : -1;
        if (step < 0 || !users.acceptStep(name, step)) {
            failed(name, from, now);
            return Optional.empty();
        }
        users.clearFailures(name);
        return Optional.of(ConsoleRole.valueOf(user.get().role()));
    }

    private void failed(String name, ClientAddress from, Instant now) {
        if (users.countFailure(name) < lockout.failures()) {
            return;
        }
        Instant until = now.plus(lockout.duration());
        if (users.lock(name, lockout.failures(), until)) {
            audit.record(AuditEvent.refused(
                            AuditEvent.SYSTEM, AuditAction.CONSOLE_ACCOUNT_LOCKED, "ACCOUNT_LOCKED", from)
                    .detail(name + ": " + lockout.failures() + " failed sign-ins in a row; locked until " + until));
        }
    }

    /** Ends an account's lock before it expires, audited with who did it; false when there is no such account. */
    public boolean unlock(String name, String actor, ClientAddress from) {
        if (!users.unlock(name)) {
            return false;
        }
        audit.record(AuditEvent.success(actor, AuditAction.CONSOLE_USER_UNLOCKED, from)
                .detail("console account " + name + " unlocked"));
        return true;
    }

    /** The user's TOTP key, unsealed (tests compute codes with it). */
    byte[] totpKey(String name) {
        return seal.open(name, users.find(name).orElseThrow().totpKey());
    }

    /**
     * Seals TOTP keys stored before they were sealed (issue 13), once at start; another node doing the same at once
     * is harmless (compare-and-set per row).
     */
    @EventListener(ApplicationReadyEvent.class)
    public void sealStoredKeys() {
        int sealed = 0;
        for (ConsoleUser u : users.all()) {
            if (!TotpKeySeal.sealed(u.totpKey())
                    && users.replaceTotpKey(u.name(), u.totpKey(), seal.seal(u.name(), u.totpKey()))) {
                sealed++;
            }
        }
        if (sealed > 0) {
            log.info("sealed the TOTP keys of {} console users stored before keys were encrypted at rest", sealed);
        }
    }

    public boolean anyAdministrator() {
        return users.countWithRole(ConsoleRole.ADMINISTRATOR.name()) > 0;
    }

    static String otpauthUri(String name, byte[] totpKey) {
        // Key URI format of authenticator apps: otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>
        return "otpauth://totp/CardRenew:" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "?secret="
                + Totp.base32(totpKey) + "&issuer=CardRenew&algorithm=SHA1&digits=6&period=30";
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
