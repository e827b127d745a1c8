package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.cardrenew.ca.CaUnavailableException.Problem;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Pkcs12CaTest {

    // X509Certificate.getKeyUsage() index 5 = keyCertSign, 6 = cRLSign.
    private static final boolean[] CA_KEY_USAGE = {false, false, false, false, false, true, true, false, false};

    @TempDir
    Path dir;

    private CaSettings settings(char[] password) {
        return CaSettings.pkcs12(dir.resolve("data/ca.p12"), password).withKeyType(CaKeyType.P256);
    }

    @Test
    void secondOpenLoadsTheSameCa() {
        EmbeddedCa first = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);
        EmbeddedCa second = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);

        assertThat(second.chain()).isEqualTo(first.chain());
    }

    @Test
    void secondOpenKeepsTheExistingCaWhateverTheCreationSettingsSayNow() {
        EmbeddedCa first = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);
        EmbeddedCa second = EmbeddedCa.openOrCreate(
                settings(CaFixture.PASSWORD.clone())
                        .withKeyType(CaKeyType.P384)
                        .withSubjects(CaSubjects.of("CN=Other Root", "CN=Other Issuing")),
                CaFixture.CLOCK);

        assertThat(second.chain()).isEqualTo(first.chain());
    }

    @Test
    void certificatesIssuedBeforeARestartAreRecognisedAfterIt() throws Exception {
        EmbeddedCa first = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);
        X509Certificate cert = first.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        EmbeddedCa restarted = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);

        assertThat(restarted.isIssuerOf(cert)).isTrue();
    }

    @Test
    void wrongPasswordFailsWithAClearError() {
        EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);

        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings("wrong".toCharArray()), CaFixture.CLOCK))
                .isInstanceOfSatisfying(CaUnavailableException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.KEYSTORE_PASSWORD_WRONG);
                    assertThat(e.getMessage())
                            .contains("password")
                            .contains(dir.resolve("data/ca.p12").toString());
                });
    }

    @Test
    void missingPasswordIsAConfigurationError() {
        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings(new char[0]), CaFixture.CLOCK))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.CONFIGURATION_INVALID));
        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings(null), CaFixture.CLOCK))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.CONFIGURATION_INVALID));
        assertThat(dir.resolve("data/ca.p12")).doesNotExist();
    }

    @Test
    void aFileThatIsNotAKeystoreIsReportedAsUnreadable() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/ca.p12"), "not a keystore");

        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.KEYSTORE_UNREADABLE));
    }

    @Test
    void keystoreIsReadableByItsOwnerOnly() throws Exception {
        EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/ca.p12"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anInterruptedFirstStartThatStoredOnlyTheRootIsCompletedUnderThatRoot() throws Exception {
        EmbeddedCa first = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);
        removeEntry(EmbeddedCa.ISSUING_ALIAS);

        EmbeddedCa second = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);

        assertThat(second.chain().get(1)).isEqualTo(first.chain().get(1));
        assertThat(second.chain().get(0)).isNotEqualTo(first.chain().get(0));
        second.chain().get(0).verify(first.chain().get(1).getPublicKey());
    }

    @Test
    void anIssuingCaWithoutItsRootIsRefused() throws Exception {
        EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK);
        removeEntry(EmbeddedCa.ROOT_ALIAS);

        assertThatThrownBy(() -> EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK))
                .isInstanceOfSatisfying(
                        CaUnavailableException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.CA_INVALID));
    }

    @Test
    void rootIsASelfSignedCaWithCertificateAndCrlSigningOnly() throws Exception {
        X509Certificate root = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK)
                .chain()
                .get(1);

        assertThat(root.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=CardRenew Root CA, O=CardRenew, C=TW"));
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        root.verify(root.getPublicKey());
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Arrays.copyOf(root.getKeyUsage(), 9)).containsExactly(CA_KEY_USAGE);
        assertThat(root.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(keyIdentifier(root, Extension.authorityKeyIdentifier))
                .isEqualTo(keyIdentifier(root, Extension.subjectKeyIdentifier));
        assertThat(root.getNotBefore().toInstant()).isEqualTo(CaFixture.NOW);
        assertThat(root.getNotAfter().toInstant()).isEqualTo(CaFixture.NOW.plus(CaLifetimes.DEFAULT.root()));
    }

    @Test
    void issuingCaIsCertifiedByTheRootForEndEntitiesOnly() throws Exception {
        var chain = EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()), CaFixture.CLOCK)
                .chain();
        X509Certificate issuing = chain.get(0);
        X509Certificate root = chain.get(1);

        assertThat(issuing.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=CardRenew Issuing CA, O=CardRenew, C=TW"));
        assertThat(issuing.getIssuerX500Principal().getEncoded())
                .isEqualTo(root.getSubjectX500Principal().getEncoded());
        issuing.verify(root.getPublicKey());
        // RFC 5280 §4.2.1.9: pathLenConstraint 0 — it may certify holders, never another CA.
        assertThat(issuing.getBasicConstraints()).isZero();
        assertThat(Arrays.copyOf(issuing.getKeyUsage(), 9)).containsExactly(CA_KEY_USAGE);
        assertThat(issuing.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(keyIdentifier(issuing, Extension.authorityKeyIdentifier))
                .isEqualTo(keyIdentifier(root, Extension.subjectKeyIdentifier));
        assertThat(issuing.getNotAfter().toInstant()).isEqualTo(CaFixture.NOW.plus(CaLifetimes.DEFAULT.issuing()));
    }

    @Test
    void configuredSubjectsAndLifetimesShapeANewCa() {
        var chain = EmbeddedCa.openOrCreate(
                        settings(CaFixture.PASSWORD.clone())
                                .withSubjects(CaSubjects.of(
                                        "CN=Agency Root CA, O=Agency, C=TW", "CN=Agency Card CA 1, O=Agency, C=TW"))
                                .withLifetimes(new CaLifetimes(Duration.ofDays(3650), Duration.ofDays(1825))),
                        CaFixture.CLOCK)
                .chain();

        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=Agency Card CA 1,O=Agency,C=TW");
        assertThat(chain.get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Agency Root CA,O=Agency,C=TW");
        assertThat(chain.get(0).getNotAfter().toInstant()).isEqualTo(CaFixture.NOW.plus(Duration.ofDays(1825)));
        assertThat(chain.get(1).getNotAfter().toInstant()).isEqualTo(CaFixture.NOW.plus(Duration.ofDays(3650)));
    }

    static Stream<Arguments> caKeyTypes() {
        return Stream.of(
                Arguments.of(Named.of("rsa2048", CaKeyType.RSA_2048), "SHA256withRSA"),
                Arguments.of(Named.of("p256", CaKeyType.P256), "SHA256withECDSA"),
                Arguments.of(Named.of("p384", CaKeyType.P384), "SHA384withECDSA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caKeyTypes")
    void caKeyTypeDecidesTheSignatureAlgorithm(CaKeyType type, String algorithm) throws Exception {
        EmbeddedCa ca =
                EmbeddedCa.openOrCreate(settings(CaFixture.PASSWORD.clone()).withKeyType(type), CaFixture.CLOCK);
        X509Certificate holder = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        assertThat(holder.getSigAlgName()).isEqualTo(algorithm);
        assertThat(ca.chain()).extracting(X509Certificate::getSigAlgName).containsOnly(algorithm);
        assertThat(HolderKeyPolicy.describe(ca.chain().get(0).getPublicKey())).contains(type.configName());
    }

    @Test
    void rsa3072IsTheDefaultCaKeyType() {
        assertThat(CaSettings.pkcs12(dir.resolve("x.p12"), CaFixture.PASSWORD).keyType())
                .isEqualTo(CaKeyType.RSA_3072);
        assertThat(CaKeyType.fromConfigName(" RSA3072 ")).isEqualTo(CaKeyType.RSA_3072);
        assertThatThrownBy(() -> CaKeyType.fromConfigName("p521"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rsa2048, rsa3072, p256, p384");
    }

    private void removeEntry(String alias) throws Exception {
        Path file = dir.resolve("data/ca.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, CaFixture.PASSWORD);
        }
        keyStore.deleteEntry(alias);
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, CaFixture.PASSWORD);
        }
    }

    private static byte[] keyIdentifier(X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier oid)
            throws Exception {
        var value = JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue(oid.getId()));
        return oid.equals(Extension.subjectKeyIdentifier)
                ? SubjectKeyIdentifier.getInstance(value).getKeyIdentifier()
                : AuthorityKeyIdentifier.getInstance(value).getKeyIdentifier();
    }
}
