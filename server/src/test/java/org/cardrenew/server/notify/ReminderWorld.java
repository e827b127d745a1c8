package org.cardrenew.server.notify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.Holder;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.HolderRepository;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.NewCertificate;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.ReminderRepository;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The reminder components wired by hand on one database, as one server node has them: scan, sender (SMTP at
 * 127.0.0.1:smtpPort), repositories to seed holders, pairs and renewals. Two worlds on one database are two nodes.
 */
final class ReminderWorld {

    static final URI PUBLIC_URL = URI.create("https://cardrenew.example.gov.tw");
    static final String SUBJECT_PREFIX = "C=TW,O=內政部,CN=";

    final ReminderRepository reminders;
    final HolderRepository holders;
    final CardPairRepository pairs;
    final CertificateRepository certificates;
    final RenewalRepository renewals;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ReminderScan scan;
    final ReminderSender sender;
    final ReminderMail mail;
    private final Clock clock;

    ReminderWorld(DataSource dataSource, Clock clock, int smtpPort) {
        this(dataSource, clock, smtpPort, ReminderProperties.defaults());
    }

    ReminderWorld(DataSource dataSource, Clock clock, int smtpPort, ReminderProperties properties) {
        this.clock = clock;
        JdbcClient jdbc = JdbcClient.create(dataSource);
        reminders = new ReminderRepository(jdbc);
        holders = new HolderRepository(jdbc);
        pairs = new CardPairRepository(jdbc);
        certificates = new CertificateRepository(jdbc);
        renewals = new RenewalRepository(jdbc);
        ReminderMetrics metrics = new ReminderMetrics(meters);
        scan = new ReminderScan(reminders, properties, metrics, clock);
        mail = new ReminderMail(
                messages(),
                new CardRenewProperties(Path.of("target/test-data/notify"), PUBLIC_URL),
                new RenewalProperties(
                        Duration.ofDays(30),
                        null,
                        Duration.ofMinutes(15),
                        null,
                        Duration.ofMinutes(15),
                        Duration.ofDays(7)),
                properties);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("mailSender", smtp(smtpPort));
        sender = new ReminderSender(
                reminders,
                beans.getBeanProvider(JavaMailSender.class),
                mail,
                metrics,
                new DataSourceTransactionManager(dataSource),
                properties,
                clock);
    }

    static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    static JavaMailSender smtp(int port) {
        JavaMailSenderImpl smtp = new JavaMailSenderImpl();
        smtp.setHost("127.0.0.1");
        smtp.setPort(port);
        Properties properties = new Properties();
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "5000");
        properties.put("mail.smtp.writetimeout", "5000");
        smtp.setJavaMailProperties(properties);
        return smtp;
    }

    /** A holder with one ACTIVE pair whose signing certificate expires at notAfter. */
    PairId card(String name, String email, String language, Instant notAfter) {
        HolderId holder =
                new HolderId("H" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        holders.save(new Holder(holder, name, "內政部", email, language), clock.instant());
        PairId pair = pairs.create(holder, clock.instant());
        Instant notBefore = notAfter.minus(Duration.ofDays(730));
        for (CertificateKind kind : CertificateKind.values()) {
            certificates.insert(
                    pair,
                    new NewCertificate(
                            kind,
                            serial(),
                            SUBJECT_PREFIX + name + ",SERIALNUMBER=" + holder,
                            notBefore,
                            notAfter,
                            KeyHash.ofSpki(UUID.randomUUID().toString().getBytes()),
                            Der.of(new byte[] {0x30, 0})));
        }
        return pair;
    }

    /** Renews the pair the way the RA does: a COMPLETED renewal, the old pair SUPERSEDED, a new ACTIVE pair. */
    PairId renew(PairId old, Instant newNotAfter) {
        HolderId holder = pairs.find(old).orElseThrow().holderId();
        RenewalId id = RenewalId.random();
        Renewal requested = new Renewal(
                id,
                old,
                RenewalState.REQUESTED,
                KeyHash.ofSpki(UUID.randomUUID().toString().getBytes()),
                KeyHash.ofSpki(UUID.randomUUID().toString().getBytes()),
                Der.of(new byte[] {1}),
                Der.of(new byte[] {2}),
                null,
                clock.instant(),
                null,
                null);
        renewals.claim(requested);
        PairId next = pairs.create(holder, clock.instant());
        for (CertificateKind kind : CertificateKind.values()) {
            certificates.insert(
                    next,
                    new NewCertificate(
                            kind,
                            serial(),
                            "CN=renewed",
                            clock.instant(),
                            newNotAfter,
                            KeyHash.ofSpki(UUID.randomUUID().toString().getBytes()),
                            Der.of(new byte[] {0x30, 0})));
        }
        renewals.markIssued(requested, next, clock.instant());
        renewals.markCompleted(id, clock.instant());
        pairs.supersede(old, clock.instant(), null);
        return next;
    }

    private static String serial() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
