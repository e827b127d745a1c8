package org.cardrenew.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Creates the data directory owner-only (0700) before any bean writes into it (the H2 database, the CA keystore,
 * generated secrets): it holds keys and secrets that no other local user may read. An existing directory that others
 * can enter is left as the operator made it, with a warning.
 */
@Component
public class DataDirectory implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        prepare(Path.of(environment.getProperty("cardrenew.data-dir", "./data")));
    }

    static void prepare(Path dir) {
        try {
            if (Files.notExists(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have removed bits, never added
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(dir); // Windows: the user profile's ACLs apply
                }
                return;
            }
            Set<PosixFilePermission> granted = Files.getPosixFilePermissions(dir);
            if (!OWNER_ONLY.containsAll(granted)) {
                log.warn(
                        "the data directory {} is accessible to other users ({}): it holds keys and secrets; "
                                + "chmod 700 it",
                        dir.toAbsolutePath().normalize(),
                        PosixFilePermissions.toString(granted));
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: nothing to check here
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }
}
