package org.cardrenew.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.cardrenew.ca.CaKeyType;
import org.cardrenew.ca.CaSettings;
import org.cardrenew.ca.EmbeddedCa;
import org.cardrenew.server.config.CardRenewProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server identity: created by the CA on first start, kept, replaced when due, or the operator's own. */
class ServerIdentityTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private EmbeddedCa ca;
    private CardRenewProperties server;

    @BeforeEach
    void ca() {
        ca = EmbeddedCa.openOrCreate(
                CaSettings.pkcs12(dir.resolve("ca.p12"), "pw".toCharArray()).withKeyType(CaKeyType.P256), clock(START));
        server = new CardRenewProperties(dir.resolve("data"), URI.create("https://renew.example.gov.tw"));
    }

    @Test
    void firstStartCreatesAnOwnerOnlyKeystoreForThePublicHostAndLocalhost() throws Exception {
        ServerIdentity identity = identity(tls(null, null), START);

        assertThat(identity.certificate().getSubjectAlternativeNames())
                .extracting(n -> n.get(1).toString())
                .containsExactly("renew.example.gov.tw", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(identity.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(identity.chain()).hasSize(3);
        assertThat(ca.isIssuerOf(identity.certificate())).isTrue();
        Path file = dir.resolve("data/tls/server.p12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void laterStartsReuseItUntilAThirdOfItsLifetimeIsLeft() {
        ServerIdentity first = identity(tls(null, null), START);

        assertThat(identity(tls(null, null), START.plus(Duration.ofDays(59))).certificate())
                .isEqualTo(first.certificate());
        assertThat(identity(tls(null, null), START.plus(Duration.ofDays(61))).certificate())
                .isNotEqualTo(first.certificate());
    }

    @Test
    void anOperatorKeystoreIsUsedAsItIs() throws Exception {
        ServerIdentity generated = identity(tls(null, null), START);
        Path own = dir.resolve("own.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "web",
                generated.key(),
                "secret".toCharArray(),
                generated.chain().toArray(Certificate[]::new));
        try (OutputStream out = Files.newOutputStream(own)) {
            store.store(out, "secret".toCharArray());
        }

        ServerIdentity loaded = identity(tls(own, "secret"), START.plus(Duration.ofDays(3000)));

        assertThat(loaded.certificate()).isEqualTo(generated.certificate());
        assertThatThrownBy(() -> identity(tls(own, null), START)).hasMessageContaining("keystore-password");
    }

    private ServerIdentity identity(TlsProperties tls, Instant at) {
        return new ServerIdentityConfiguration().serverIdentity(tls, server, ca, ca, clock(at));
    }

    private static TlsProperties tls(Path keystore, String password) {
        return new TlsProperties(false, List.of(), keystore, password, Duration.ofDays(90), null);
    }

    private static Clock clock(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }
}
