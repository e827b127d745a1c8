package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HolderCertificateProfileTest {

    private static final PublicationUrls URLS = new PublicationUrls(
            URI.create("http://pki.example.gov.tw/crl/issuing.crl"),
            URI.create("http://pki.example.gov.tw/ocsp"),
            URI.create("http://pki.example.gov.tw/ca/issuing.cer"));

    // X509Certificate.getKeyUsage(): digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment,
    // keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly.
    private static final boolean[] SIGNING = {true, true, false, false, false, false, false, false, false};
    private static final boolean[] RSA_ENCRYPTION = {false, false, true, true, false, false, false, false, false};
    private static final boolean[] EC_ENCRYPTION = {false, false, false, false, true, false, false, false, false};

    private static final String BASIC_CONSTRAINTS = Extension.basicConstraints.getId();
    private static final String KEY_USAGE = Extension.keyUsage.getId();
    private static final String SKI = Extension.subjectKeyIdentifier.getId();
    private static final String AKI = Extension.authorityKeyIdentifier.getId();
    private static final String CRL_DP = Extension.cRLDistributionPoints.getId();
    private static final String AIA = Extension.authorityInfoAccess.getId();

    @TempDir
    static Path dir;

    private static EmbeddedCa ca;
    private static EmbeddedCa caWithoutUrls;

    @BeforeAll
    static void createCas() {
        ca = CaFixture.pkcs12Ca(dir.resolve("with-urls"), CaKeyType.P256, URLS);
        caWithoutUrls = CaFixture.pkcs12Ca(dir.resolve("without-urls"), CaKeyType.P256, PublicationUrls.NONE);
    }

    static Stream<Arguments> profiles() {
        return Stream.of(
                Arguments.of(Named.of("signing/rsa2048", CaFixture.rsaKey(2048)), CertificateProfile.SIGNING, SIGNING),
                Arguments.of(
                        Named.of("signing/p256", CaFixture.ecKey("secp256r1")), CertificateProfile.SIGNING, SIGNING),
                Arguments.of(
                        Named.of("encryption/rsa3072", CaFixture.rsaKey(3072)),
                        CertificateProfile.ENCRYPTION,
                        RSA_ENCRYPTION),
                Arguments.of(
                        Named.of("encryption/p384", CaFixture.ecKey("secp384r1")),
                        CertificateProfile.ENCRYPTION,
                        EC_ENCRYPTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void profileHasExactlyItsKeyUsageAndCriticalExtensions(
            PublicKey key, CertificateProfile profile, boolean[] keyUsage) throws Exception {
        X509Certificate cert = ca.issue(CaFixture.request(key, profile)).certificate();

        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(Arrays.copyOf(cert.getKeyUsage(), 9)).containsExactly(keyUsage);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(BASIC_CONSTRAINTS, KEY_USAGE);
        assertThat(cert.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(SKI, AKI, CRL_DP, AIA);
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void encryptionCertificateForEcKeyNeverAssertsKeyEncipherment() throws Exception {
        X509Certificate cert = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.ENCRYPTION))
                .certificate();

        // RFC 5480 §3: keyEncipherment and dataEncipherment MUST NOT be asserted for id-ecPublicKey.
        assertThat(cert.getKeyUsage()[2]).isFalse();
        assertThat(cert.getKeyUsage()[3]).isFalse();
        assertThat(cert.getKeyUsage()[4]).isTrue();
    }

    @Test
    void keyIdentifiersLinkTheHolderCertificateToTheIssuingCa() throws Exception {
        PublicKey key = CaFixture.ecKey("secp256r1");
        X509Certificate cert =
                ca.issue(CaFixture.request(key, CertificateProfile.SIGNING)).certificate();
        X509Certificate issuing = ca.chain().get(0);

        byte[] aki = AuthorityKeyIdentifier.getInstance(extension(cert, AKI)).getKeyIdentifier();
        byte[] issuingSki =
                SubjectKeyIdentifier.getInstance(extension(issuing, SKI)).getKeyIdentifier();
        assertThat(aki).isEqualTo(issuingSki);
        assertThat(SubjectKeyIdentifier.getInstance(extension(cert, SKI)).getKeyIdentifier())
                .isEqualTo(new JcaX509ExtensionUtils()
                        .createSubjectKeyIdentifier(key)
                        .getKeyIdentifier());
        assertThat(cert.getIssuerX500Principal().getEncoded())
                .isEqualTo(issuing.getSubjectX500Principal().getEncoded());
    }

    @Test
    void configuredUrlsAreWrittenIntoCrlDistributionPointAndAuthorityInformationAccess() throws Exception {
        X509Certificate cert = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        CRLDistPoint crlDp = CRLDistPoint.getInstance(extension(cert, CRL_DP));
        assertThat(crlDp.getDistributionPoints()).hasSize(1);
        GeneralNames fullName = (GeneralNames)
                crlDp.getDistributionPoints()[0].getDistributionPoint().getName();
        assertThat(fullName.getNames())
                .extracting(GeneralName::getTagNo, n -> n.getName().toString())
                .containsExactly(
                        tuple(GeneralName.uniformResourceIdentifier, "http://pki.example.gov.tw/crl/issuing.crl"));

        AccessDescription[] aia =
                AuthorityInformationAccess.getInstance(extension(cert, AIA)).getAccessDescriptions();
        assertThat(aia)
                .extracting(
                        AccessDescription::getAccessMethod,
                        d -> d.getAccessLocation().getName().toString())
                .containsExactly(
                        tuple(X509ObjectIdentifiers.id_ad_ocsp, "http://pki.example.gov.tw/ocsp"),
                        tuple(X509ObjectIdentifiers.id_ad_caIssuers, "http://pki.example.gov.tw/ca/issuing.cer"));
    }

    @Test
    void unconfiguredUrlsLeaveTheirExtensionsOut() throws Exception {
        X509Certificate cert = caWithoutUrls
                .issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        assertThat(cert.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(SKI, AKI);
    }

    @Test
    void onlyTheOcspUrlGivesAnAuthorityInformationAccessWithOcspAlone() throws Exception {
        EmbeddedCa ocspOnly = CaFixture.pkcs12Ca(
                dir.resolve("ocsp-only"),
                CaKeyType.P256,
                new PublicationUrls(null, URI.create("http://pki.example.gov.tw/ocsp"), null));
        X509Certificate cert = ocspOnly.issue(
                        CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        assertThat(cert.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(SKI, AKI, AIA);
        assertThat(AuthorityInformationAccess.getInstance(extension(cert, AIA)).getAccessDescriptions())
                .extracting(AccessDescription::getAccessMethod)
                .containsExactly(X509ObjectIdentifiers.id_ad_ocsp);
    }

    @Test
    void subjectIsCopiedByteForByteIncludingSerialNumberAndChineseName() throws Exception {
        X509Certificate cert = ca.issue(CaFixture.request(CaFixture.rsaKey(2048), CertificateProfile.SIGNING))
                .certificate();

        assertThat(cert.getSubjectX500Principal().getEncoded())
                .isEqualTo(CaFixture.holderSubject().getEncoded());
        assertThat(cert.getSubjectX500Principal().getName()).contains("王小明").contains("2.5.4.5=#");
    }

    @Test
    void multiValuedRdnSubjectIsKeptAsEncoded() throws Exception {
        AttributeTypeAndValue cn = new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("王小明"));
        AttributeTypeAndValue serial = new AttributeTypeAndValue(BCStyle.SERIALNUMBER, new DERPrintableString("A1"));
        X500Principal subject = new X500Principal(
                new DERSequence(new DERSet(new ASN1Encodable[] {cn, serial})).getEncoded(ASN1Encoding.DER));

        X509Certificate cert = ca.issue(new IssuanceRequest(
                        subject,
                        CaFixture.ecKey("secp256r1"),
                        CertificateProfile.SIGNING,
                        CaFixture.NOW,
                        CaFixture.NOW.plusSeconds(86400)))
                .certificate();

        assertThat(cert.getSubjectX500Principal().getEncoded()).isEqualTo(subject.getEncoded());
    }

    @Test
    void emptySubjectIsRefused() {
        assertThatThrownBy(() -> ca.issue(new IssuanceRequest(
                        new X500Principal(""),
                        CaFixture.ecKey("secp256r1"),
                        CertificateProfile.SIGNING,
                        CaFixture.NOW,
                        CaFixture.NOW.plusSeconds(86400))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject");
    }

    @Test
    void validityIsExactlyTheRequestedPeriod() throws Exception {
        Instant notBefore = Instant.parse("2026-03-02T08:00:00Z");
        Instant notAfter = Instant.parse("2028-03-01T23:59:59Z");
        IssuedCertificate issued = ca.issue(new IssuanceRequest(
                CaFixture.holderSubject(),
                CaFixture.ecKey("secp256r1"),
                CertificateProfile.SIGNING,
                notBefore,
                notAfter));
        X509Certificate cert = issued.certificate();

        assertThat(cert.getNotBefore().toInstant()).isEqualTo(notBefore).isEqualTo(issued.notBefore());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(notAfter).isEqualTo(issued.notAfter());
    }

    @Test
    void validityIsTruncatedToWholeSecondsAsRfc5280EncodesIt() throws Exception {
        IssuedCertificate issued = ca.issue(new IssuanceRequest(
                CaFixture.holderSubject(),
                CaFixture.ecKey("secp256r1"),
                CertificateProfile.SIGNING,
                Instant.parse("2026-03-02T08:00:00.900Z"),
                Instant.parse("2027-03-02T08:00:00.100Z")));
        X509Certificate cert = issued.certificate();

        // The fields a caller stores say what the certificate says, not what was asked.
        assertThat(cert.getNotBefore().toInstant())
                .isEqualTo(Instant.parse("2026-03-02T08:00:00Z"))
                .isEqualTo(issued.notBefore());
        assertThat(cert.getNotAfter().toInstant())
                .isEqualTo(Instant.parse("2027-03-02T08:00:00Z"))
                .isEqualTo(issued.notAfter());
    }

    static Stream<Arguments> invalidPeriods() {
        Instant t = Instant.parse("2026-03-02T08:00:00Z");
        return Stream.of(
                Arguments.of(Named.of("fail/inverted", t), t.minusSeconds(1)),
                Arguments.of(Named.of("fail/empty", t), t),
                Arguments.of(Named.of("fail/empty-after-truncation", t), t.plusMillis(999)),
                Arguments.of(Named.of("fail/outlives-issuing-ca", t), Instant.parse("2099-01-01T00:00:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPeriods")
    void invalidValidityIsRefused(Instant notBefore, Instant notAfter) {
        assertThatThrownBy(() -> ca.issue(new IssuanceRequest(
                        CaFixture.holderSubject(),
                        CaFixture.ecKey("secp256r1"),
                        CertificateProfile.SIGNING,
                        notBefore,
                        notAfter)))
                .isInstanceOfSatisfying(
                        IssuanceException.class,
                        e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.VALIDITY_INVALID));
    }

    @Test
    void issueRefusesAKeyOutsideThePolicy() {
        assertThatThrownBy(() -> ca.issue(CaFixture.request(CaFixture.rsaKey(1024), CertificateProfile.SIGNING)))
                .isInstanceOfSatisfying(
                        IssuanceException.class,
                        e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.KEY_TYPE_UNSUPPORTED));
    }

    @Test
    void isIssuerOfRecognisesOwnCertificatesOnly() throws Exception {
        X509Certificate own = ca.issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();
        X509Certificate foreign = caWithoutUrls
                .issue(CaFixture.request(CaFixture.ecKey("secp256r1"), CertificateProfile.SIGNING))
                .certificate();

        assertThat(ca.isIssuerOf(own)).isTrue();
        // Same issuer name (both CAs use the default subjects), different key: the signature decides.
        assertThat(foreign.getIssuerX500Principal()).isEqualTo(own.getIssuerX500Principal());
        assertThat(ca.isIssuerOf(foreign)).isFalse();
        assertThat(ca.isIssuerOf(ca.chain().get(0))).isFalse();
    }

    @Test
    void urlsFromConfigurationTreatBlankAsAbsentAndRefuseRelativeOnes() {
        assertThat(PublicationUrls.of(" ", null, "http://pki.example.gov.tw/ca.cer"))
                .isEqualTo(new PublicationUrls(null, null, URI.create("http://pki.example.gov.tw/ca.cer")));
        assertThatThrownBy(() -> PublicationUrls.of("/crl/issuing.crl", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRL distribution point");
    }

    private static org.bouncycastle.asn1.ASN1Primitive extension(X509Certificate cert, String oid) throws IOException {
        return JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue(oid));
    }
}
