package org.cardrenew.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.server.store.ConsoleUser;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates console users and checks their sign-in: password and a TOTP code (RFC 6238), each code used once. */
@Service
public class ConsoleUsers {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleUserRepository users;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final Clock clock;
    /** Compared against when the name is unknown, so timing does not reveal which names exist. */
    private final String dummyHash;

    public ConsoleUsers(ConsoleUserRepository users, Clock clock) {
        this.users = users;
        this.clock = clock;
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
        users.insert(new ConsoleUser(name, role.name(), passwords.encode(secret), totpKey, -1, clock.instant(),
                createdBy));
        return new NewConsoleUser(name, role, secret, otpauthUri(name, totpKey));
    }

    /** The role of the user when name, password and a fresh TOTP code all match. */
    public Optional<ConsoleRole> authenticate(String name, String password, String code) {
        Optional<ConsoleUser> user = name == null ? Optional.empty() : users.find(name);
        boolean passwordOk = passwords.matches(password == null ? "" : password,
                user.map(ConsoleUser::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !passwordOk) {
            return Optional.empty();
        }
        long step = Totp.matchingStep(user.get().totpKey(), code, clock.instant());
        if (step < 0 || !users.acceptStep(name, step)) {
            return Optional.empty();
        }
        return Optional.of(ConsoleRole.valueOf(user.get().role()));
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
