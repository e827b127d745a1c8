package org.cardrenew.protocol;

/** The one status the RA answers for a card's current signing certificate. */
public enum CertificateStatus {
    /** Valid and inside the renewal window: the answer carries a renewal token. */
    RENEWABLE,
    /** Valid, but the renewal window opens later ({@code renewalWindowOpens}). */
    NOT_YET_RENEWABLE,
    /** Past notAfter: past the time allowed for renewal; the holder must apply for a new card. */
    EXPIRED,
    /** Revoked by the CA: the holder must apply for a new card. */
    REVOKED,
    /** Not issued by this CA, or not known to its store. */
    UNKNOWN,
    /** A renewal was started and certificates may already be issued: resume it ({@code renewalId}). */
    RENEWAL_IN_PROGRESS,
    /** This certificate was already replaced by a completed renewal. */
    ALREADY_RENEWED
}
