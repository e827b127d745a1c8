package org.cardrenew.server.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Console account lockout ({@code cardrenew.console.lockout.*}, docs/OPERATIONS.md): after {@code failures} failed
 * password-and-code sign-ins in a row an account is locked for {@code duration}, on every node (the count and the lock
 * are in the database), unless an administrator unlocks it first.
 */
@ConfigurationProperties("cardrenew.console.lockout")
public record ConsoleLockoutProperties(
        @DefaultValue("5") int failures,
        @DefaultValue("PT15M") Duration duration) {

    public ConsoleLockoutProperties {
        if (failures < 1 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("cardrenew.console.lockout: failures >= 1 and a positive duration");
        }
    }
}
