package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.server.config.EnrollmentProperties;
import org.cardrenew.server.testsupport.Keys;
import org.cardrenew.server.web.HolderMessages;
import org.springframework.context.support.ResourceBundleMessageSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of the RA's JSON requests without Spring, fast enough for the short run (docs/FUZZING.md):
 * the first byte picks status / renewal / confirmation / enrollment, the rest is the body. The body is read into the
 * request record by Jackson (a malformed one: a {@link JacksonException}, which the API answers 400 REQUEST_INVALID),
 * then every field goes through the RA's own parsers in the order its service uses them before the store is asked:
 * the card certificate and signature of a status check ({@link DerCertificates}, {@link CardSignature}), the two CSRs
 * of a renewal ({@link CertificationRequest}, {@link HolderKeys}), a confirmation's signature, an enrollment's holder
 * data, validity and CSRs. Every refusal is an {@link RaException} with a 4xx code its endpoint documents, and a holder message
 * in zh-TW and English. Seeds: src/test/resources/org/cardrenew/server/ra/RaRequestFieldsFuzzTestInputs.
 */
class RaRequestFieldsFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HolderMessages MESSAGES = messages();
    /** The key a confirmation's signature is checked against: the renewal's new signing key, as the RA does. */
    private static final PublicKey NEW_SIGNING_KEY = Keys.p256().getPublic();

    private static final String RENEWAL_ID = "00000000-0000-0000-0000-000000000000";
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    /** The demo profile's setting: explicit notBefore/notAfter allowed, two years when one end is missing. */
    private static final EnrollmentProperties EXPLICIT_VALIDITY = new EnrollmentProperties(true, Duration.ofDays(730));

    private static final Set<ErrorCode> CSR_CODES = EnumSet.of(
            ErrorCode.REQUEST_INVALID,
            ErrorCode.CSR_MALFORMED,
            ErrorCode.CSR_SIGNATURE_INVALID,
            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
            ErrorCode.KEY_TYPE_UNSUPPORTED);

    @FuzzTest(maxDuration = "10s")
    void anyRequestIsReadOrRefusedWithAStableCode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (Byte.toUnsignedInt(input[0]) % 4) {
                case 0 -> status(JSON.readValue(body, StatusRequest.class));
                case 1 -> renewal(JSON.readValue(body, RenewalRequest.class));
                case 2 -> confirmation(JSON.readValue(body, ConfirmationRequest.class));
                default -> enrollment(JSON.readValue(body, EnrollmentRequest.class));
            }
        } catch (JacksonException unreadable) {
            // ApiErrors: 400 REQUEST_INVALID (HttpMessageNotReadableException wraps it)
        } catch (RaException refusal) {
            assertThat(refusal.code().httpStatus())
                    .as("HTTP status of %s", refusal.code())
                    .isBetween(400, 499);
            for (Locale locale : new Locale[] {Locale.TAIWAN, Locale.ENGLISH}) {
                assertThat(MESSAGES.error(refusal.code(), locale))
                        .as("holder message for %s", refusal.code())
                        .isNotBlank()
                        .isNotEqualTo(refusal.code().name());
            }
        }
    }

    /** CardAuthenticator.bySignedChallenge after the challenge: the certificate, then the signature over the nonce. */
    private static void status(StatusRequest request) {
        try {
            SignedChallenge proof = SignedChallenge.of(request);
            if (proof == null || !proof.complete()) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "incomplete");
            }
            X509Certificate certificate = DerCertificates.parseBase64(proof.certificate());
            // Anyone can sign a challenge with the key of a certificate of their own making, and StatusService then
            // shows that certificate's subject (CertificateStatus.UNKNOWN): a fuzzer, which cannot sign, reaches the
            // subject's parsing only here.
            assertThat(Subjects.of(certificate)).isNotNull();
            PublicKey key = certificate.getPublicKey();
            CardSignature.verify(
                    key,
                    proof.signatureAlgorithm(),
                    CardUse.STATUS.signedPayload("nonce"),
                    proof.signature(),
                    ErrorCode.SIGNATURE_INVALID);
        } catch (RaException e) {
            assertThat(e.code())
                    .isIn(
                            ErrorCode.REQUEST_INVALID,
                            ErrorCode.CERTIFICATE_MALFORMED,
                            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED,
                            ErrorCode.SIGNATURE_INVALID);
            throw e;
        }
    }

    /** RenewalService.renew after the token: both CSRs; renewAuthenticated's key policy. */
    private static void renewal(RenewalRequest request) {
        if (request == null || request.signingCsr() == null || request.encryptionCsr() == null) {
            return; // refused REQUEST_INVALID by RenewalService before anything is parsed
        }
        csrs(request.signingCsr(), request.encryptionCsr());
    }

    private static void confirmation(ConfirmationRequest request) {
        if (request == null || request.signature() == null || request.signatureAlgorithm() == null) {
            return; // refused REQUEST_INVALID by ConfirmationService before anything is parsed
        }
        try {
            CardSignature.verify(
                    NEW_SIGNING_KEY,
                    request.signatureAlgorithm(),
                    SignedPayloads.confirmation(RENEWAL_ID),
                    request.signature(),
                    ErrorCode.CONFIRMATION_INVALID);
        } catch (RaException e) {
            assertThat(e.code()).isIn(ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED, ErrorCode.CONFIRMATION_INVALID);
            throw e;
        }
    }

    /**
     * EnrollmentService.enroll: the holder, the validity (with explicit ends allowed, as the demo profile does, so that
     * the fuzzer reaches their arithmetic), then both CSRs and the key policy.
     */
    private static void enrollment(EnrollmentRequest request) {
        if (request == null) {
            return;
        }
        try {
            EnrollmentService.validHolder(request);
        } catch (RaException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.HOLDER_INVALID);
            throw e;
        }
        try {
            Validity validity = EnrollmentService.validity(request, NOW, EXPLICIT_VALIDITY);
            assertThat(validity.notAfter()).isAfter(validity.notBefore());
        } catch (RaException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDITY_INVALID);
            throw e;
        }
        csrs(request.signingCsr(), request.encryptionCsr());
    }

    private static void csrs(String signingCsr, String encryptionCsr) {
        try {
            CertificationRequest signing = CertificationRequest.parse(signingCsr, "signingCsr");
            CertificationRequest encryption = CertificationRequest.parse(encryptionCsr, "encryptionCsr");
            HolderKeys.requireAllowed(signing.publicKey(), "signing");
            HolderKeys.requireAllowed(encryption.publicKey(), "encryption");
        } catch (RaException e) {
            assertThat(e.code()).isIn(CSR_CODES);
            throw e;
        }
    }

    private static HolderMessages messages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return new HolderMessages(source);
    }
}
