package org.cardrenew.server.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One decision to record, built so the call site reads like the decision:
 * {@code AuditEvent.refused(actor, AuditAction.RENEWAL_REFUSED, code, from).certificate(serial).renewal(id)
 * .detail(why)}.
 *
 * <p>Immutable: every {@code certificate}, {@code renewal}, {@code detail} and {@code code} returns a new event. The
 * subject certificates are a list; the chain stores them comma-joined in {@code certificate_serial} (null when there
 * are none), exactly as records written before this type had the list, so their hashes still verify (docs/AUDIT.md).
 */
public final class AuditEvent {

    /** The actor of decisions taken on an administrator's token. */
    public static final String ADMIN = "admin";
    /** The actor of decisions about a caller nobody authenticated (see {@link AuditLog#unauthenticatedRefusal}). */
    public static final String ANONYMOUS = "anonymous";
    /** The actor of decisions the server takes on its own schedule (closing, revoking superseded pairs). */
    public static final String SYSTEM = "system";

    private final String actor;
    private final AuditAction action;
    private final AuditOutcome outcome;
    private final String code;
    private final List<String> certificateSerials;
    private final String renewalId;
    private final String detail;
    private final ClientAddress clientAddress;

    private AuditEvent(
            String actor,
            AuditAction action,
            AuditOutcome outcome,
            String code,
            List<String> certificateSerials,
            String renewalId,
            String detail,
            ClientAddress clientAddress) {
        this.actor = Objects.requireNonNull(actor, "actor");
        this.action = Objects.requireNonNull(action, "action");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.code = code;
        this.certificateSerials = List.copyOf(certificateSerials);
        this.renewalId = renewalId;
        this.detail = detail;
        this.clientAddress = clientAddress;
    }

    /** A decision that went the caller's way; {@code from} is null for decisions the server takes on its own. */
    public static AuditEvent success(String actor, AuditAction action, ClientAddress from) {
        return new AuditEvent(actor, action, AuditOutcome.SUCCESS, null, List.of(), null, null, from);
    }

    /** A refusal, with the stable machine code the caller was answered with. */
    public static AuditEvent refused(String actor, AuditAction action, String code, ClientAddress from) {
        return new AuditEvent(actor, action, AuditOutcome.REFUSED, code, List.of(), null, null, from);
    }

    /** A failure on our side (CA unavailable, internal error), with the code the caller was answered with. */
    public static AuditEvent error(String actor, AuditAction action, String code, ClientAddress from) {
        return new AuditEvent(actor, action, AuditOutcome.ERROR, code, List.of(), null, null, from);
    }

    /** A decision whose outcome the caller computed (e.g. refused or error by the refusal's code). */
    public static AuditEvent of(
            String actor, AuditAction action, AuditOutcome outcome, String code, ClientAddress from) {
        return new AuditEvent(actor, action, outcome, code, List.of(), null, null, from);
    }

    /** The actor for a decision about a card: its signing certificate's serial, or anonymous before one is known. */
    public static String cardOrAnonymous(String serial) {
        return serial == null ? ANONYMOUS : serial;
    }

    /** This event answered with {@code answered} (a status, a state, a role) as its code. */
    public AuditEvent code(String answered) {
        return new AuditEvent(actor, action, outcome, answered, certificateSerials, renewalId, detail, clientAddress);
    }

    /** This event also names {@code serial} (hex) as a subject certificate; a null serial adds nothing. */
    public AuditEvent certificate(String serial) {
        return serial == null ? this : certificates(List.of(serial));
    }

    /**
     * This event also names these subject certificates, in this order. A serial is recorded as the caller named it
     * (a refusal may name one that is not even hex): the trail keeps what was asked, and no input makes recording fail.
     */
    public AuditEvent certificates(Collection<String> serials) {
        List<String> all = new ArrayList<>(certificateSerials);
        all.addAll(serials);
        return new AuditEvent(actor, action, outcome, code, all, renewalId, detail, clientAddress);
    }

    /** This event is about the renewal {@code id}; a null id leaves it about none. */
    public AuditEvent renewal(String id) {
        return new AuditEvent(actor, action, outcome, code, certificateSerials, id, detail, clientAddress);
    }

    /** This event with {@code text} as its free-text detail (no secret, no PIN). */
    public AuditEvent detail(String text) {
        return new AuditEvent(actor, action, outcome, code, certificateSerials, renewalId, text, clientAddress);
    }

    public String actor() {
        return actor;
    }

    public AuditAction action() {
        return action;
    }

    public AuditOutcome outcome() {
        return outcome;
    }

    /** The status or error code the decision answered with, if any. */
    public String code() {
        return code;
    }

    /** The subject certificates, hex serials; empty when the decision names none. */
    public List<String> certificateSerials() {
        return certificateSerials;
    }

    /** The serials as the chain stores and hashes them: comma-joined, null when there are none. */
    String storedSerials() {
        return certificateSerials.isEmpty() ? null : String.join(",", certificateSerials);
    }

    public String renewalId() {
        return renewalId;
    }

    public String detail() {
        return detail;
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEvent e
                && actor.equals(e.actor)
                && action == e.action
                && outcome == e.outcome
                && Objects.equals(code, e.code)
                && certificateSerials.equals(e.certificateSerials)
                && Objects.equals(renewalId, e.renewalId)
                && Objects.equals(detail, e.detail)
                && Objects.equals(clientAddress, e.clientAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(actor, action, outcome, code, certificateSerials, renewalId, detail, clientAddress);
    }

    @Override
    public String toString() {
        return "AuditEvent[" + action + " " + outcome + " " + code + " actor=" + actor + " serials="
                + certificateSerials + " renewal=" + renewalId + "]";
    }
}
