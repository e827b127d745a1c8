package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.EnrollmentProperties;
import org.cardrenew.server.store.Holder;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.HolderRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admin enrollment of a new card (the "apply for a new card" path). The server decides the subject
 * (C=TW, O, CN, SERIALNUMBER); the CSRs only prove possession of the new keys.
 */
@Service
public class EnrollmentService {

    /** Printable characters only: SERIALNUMBER is a PrintableString (RFC 5280 Appendix A). */
    private static final Pattern HOLDER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** RFC 5280 Appendix A: ub-common-name and ub-organization-name are 64. */
    private static final int MAX_NAME = 64;

    private static final Set<String> LANGUAGES = Set.of("zh-TW", "en");

    private final HolderRepository holders;
    private final NewKeys newKeys;
    private final PairIssuer issuer;
    private final IssuanceIntent intent;
    private final RenewalResponses responses;
    private final EnrollmentProperties properties;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public EnrollmentService(
            HolderRepository holders,
            NewKeys newKeys,
            PairIssuer issuer,
            IssuanceIntent intent,
            RenewalResponses responses,
            EnrollmentProperties properties,
            PlatformTransactionManager transactions,
            AuditLog audit,
            Clock clock) {
        this.intent = intent;
        this.holders = holders;
        this.newKeys = newKeys;
        this.issuer = issuer;
        this.responses = responses;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
    }

    public EnrollmentResponse enroll(EnrollmentRequest request, ClientAddress from) {
        return enroll(request, from, AuditEvent.ADMIN);
    }

    /** The same checks and audit, with the console user who asked as the audit actor. */
    public EnrollmentResponse enroll(EnrollmentRequest request, ClientAddress from, String actor) {
        String holderId = request == null ? null : request.holderId();
        try {
            if (request == null) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "no enrollment request");
            }
            Holder holder = validHolder(request);
            Validity validity = validity(request, clock.instant(), properties);
            CertificationRequest signing = CertificationRequest.parse(request.signingCsr(), "signingCsr");
            CertificationRequest encryption = CertificationRequest.parse(request.encryptionCsr(), "encryptionCsr");
            HolderKeys.requireAllowed(signing.publicKey(), "signing");
            HolderKeys.requireAllowed(encryption.publicKey(), "encryption");
            newKeys.requireNeverUsed(signing.keyHash(), "signing");
            newKeys.requireNeverUsed(encryption.keyHash(), "encryption");
            NewKeys.requireDistinct(signing.keyHash(), encryption.keyHash());
            X500Principal subject = Subjects.holder(
                    holder.organization(), holder.name(), holder.id().value());
            intent.record(IssuanceIntent.forEnrollment(actor, subject, signing.keyHash(), encryption.keyHash(), from));
            IssuedPair issued = transaction.execute(status -> {
                holders.save(holder, clock.instant());
                return issuer.issue(
                        holder.id(), subject, signing.publicKey(), subject, encryption.publicKey(), validity);
            });
            audit.record(AuditEvent.success(actor, AuditAction.ENROLLED, from)
                    .certificates(List.of(
                            issued.signing().serial().hex(),
                            issued.encryption().serial().hex()))
                    .detail("holder " + holder.id() + " valid " + validity.notBefore() + ".." + validity.notAfter()));
            return new EnrollmentResponse(
                    holder.id().value(),
                    Base64Field.encode(issued.signing().der()),
                    Base64Field.encode(issued.encryption().der()),
                    responses.chain(),
                    issued.signing().notBefore(),
                    issued.signing().notAfter());
        } catch (RaException e) {
            AuditOutcome outcome = e.code() == ErrorCode.CA_UNAVAILABLE ? AuditOutcome.ERROR : AuditOutcome.REFUSED;
            audit.record(AuditEvent.of(
                            actor,
                            AuditAction.ENROLLMENT_REFUSED,
                            outcome,
                            e.code().name(),
                            from)
                    .detail("holder " + holderId + ": " + e.getMessage()));
            throw e;
        }
    }

    /** The holder data of an enrollment, checked before anything is looked up (also by RaRequestFieldsFuzzTest). */
    static Holder validHolder(EnrollmentRequest r) {
        if (r.holderId() == null || !HOLDER_ID.matcher(r.holderId()).matches()) {
            throw new RaException(ErrorCode.HOLDER_INVALID, "holderId must be 1-64 letters, digits or '-'");
        }
        String name = requireText(r.name(), "name");
        String organization = requireText(r.organization(), "organization");
        String email =
                r.email() == null || r.email().isBlank() ? null : r.email().trim();
        if (email != null && (email.length() > 320 || !EMAIL.matcher(email).matches())) {
            throw new RaException(ErrorCode.HOLDER_INVALID, "email is not an address");
        }
        String language = r.language() == null || r.language().isBlank() ? "zh-TW" : r.language();
        if (!LANGUAGES.contains(language)) {
            throw new RaException(ErrorCode.HOLDER_INVALID, "language must be zh-TW or en");
        }
        return new Holder(new HolderId(r.holderId()), name, organization, email, language);
    }

    private static String requireText(String value, String field) {
        if (value == null
                || value.isBlank()
                || value.strip().length() > MAX_NAME
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new RaException(ErrorCode.HOLDER_INVALID, field + " must be 1-" + MAX_NAME + " characters");
        }
        return value.strip();
    }

    /**
     * The validity an enrollment asks for: {@code properties.validity()} from now, or (where the configuration allows
     * it) explicit ends, a missing one {@code properties.validity()} from the other (also checked by
     * RaRequestFieldsFuzzTest).
     *
     * @throws RaException EXPLICIT_VALIDITY_NOT_ALLOWED, or VALIDITY_INVALID ({@link Validity#explicit})
     */
    static Validity validity(EnrollmentRequest r, Instant now, EnrollmentProperties properties) {
        if (r.notBefore() == null && r.notAfter() == null) {
            return Validity.startingAt(now, properties.validity());
        }
        if (!properties.allowExplicitValidity()) {
            throw new RaException(
                    ErrorCode.EXPLICIT_VALIDITY_NOT_ALLOWED,
                    "explicit validity needs cardrenew.enrollment.allow-explicit-validity=true");
        }
        return Validity.explicit(r.notBefore(), r.notAfter(), properties.validity());
    }
}
