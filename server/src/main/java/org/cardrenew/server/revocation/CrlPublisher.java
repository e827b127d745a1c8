package org.cardrenew.server.revocation;

import java.math.BigInteger;
import java.security.cert.CRLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cardrenew.ca.CrlContent;
import org.cardrenew.ca.CrlIssuer;
import org.cardrenew.ca.IssuanceException;
import org.cardrenew.ca.RevocationReason;
import org.cardrenew.ca.RevokedCertificate;
import org.cardrenew.ca.SerialNumber;
import org.cardrenew.server.store.CrlRepository;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.PublishedCrl;
import org.cardrenew.server.store.RevokedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the issuing CA's CRL current: a new one on every revocation (admin API), when a revocation from elsewhere
 * (grace-period job, another node) is newer than the published CRL, and when half of its validity has passed — so
 * nextUpdate is never reached. The CRL lives in the store, so every node serves the same one.
 */
@Component
public class CrlPublisher {

    private static final Logger log = LoggerFactory.getLogger(CrlPublisher.class);

    private final CrlIssuer issuer;
    private final CrlRepository crls;
    private final RevocationProperties properties;
    private final Clock clock;

    public CrlPublisher(
            ObjectProvider<CrlIssuer> issuer, CrlRepository crls, RevocationProperties properties, Clock clock) {
        // A CA back end that offers no CrlIssuer (a remote CA publishing its own CRL) leaves the CRL endpoint empty.
        this.issuer = issuer.getIfAvailable();
        this.crls = crls;
        this.properties = properties;
        this.clock = clock;
    }

    /** The CRL to serve: the published one, or a new one when none is current. Empty without a CRL-signing CA. */
    public Optional<PublishedCrl> current() {
        if (issuer == null) {
            return Optional.empty();
        }
        Optional<PublishedCrl> latest = crls.latest();
        if (latest.isPresent() && !due(latest.get())) {
            return latest;
        }
        return Optional.of(publish());
    }

    /** Issues and stores a new CRL now; returns the newest published one (possibly another node's). */
    public synchronized PublishedCrl publish() {
        if (issuer == null) {
            throw new IllegalStateException("this CA back end does not sign CRLs");
        }
        Instant now = clock.instant();
        Optional<PublishedCrl> latest = crls.latest();
        BigInteger number = latest.map(c -> c.number().add(BigInteger.ONE)).orElse(BigInteger.ONE);
        List<RevokedCertificate> entries =
                crls.revokedNotExpired(now).stream().map(CrlPublisher::entry).toList();
        try {
            PublishedCrl crl = new PublishedCrl(
                    number,
                    now,
                    now.plus(properties.crlValidity()),
                    Der.of(issuer.issueCrl(new CrlContent(number, now, now.plus(properties.crlValidity()), entries))
                            .getEncoded()));
            crls.insert(crl);
            log.info("published CRL {} with {} entries, next update {}", number, entries.size(), crl.nextUpdate());
            return crl;
        } catch (DuplicateKeyException anotherNodeWasFaster) {
            return crls.latest().orElseThrow();
        } catch (IssuanceException | CRLException e) {
            throw new IllegalStateException("the CA could not sign the CRL: " + e.getMessage(), e);
        }
    }

    /** Scheduled on every node; cheap when nothing is due. */
    @Scheduled(
            initialDelayString = "${cardrenew.revocation.check-interval:PT5M}",
            fixedDelayString = "${cardrenew.revocation.check-interval:PT5M}")
    public void publishIfDue() {
        if (issuer == null) {
            return;
        }
        try {
            Optional<PublishedCrl> latest = crls.latest();
            if (latest.isEmpty() || due(latest.get())) {
                publish();
            }
        } catch (RuntimeException e) {
            log.error("CRL publication failed; the previous CRL stays until its nextUpdate", e);
        }
    }

    private boolean due(PublishedCrl crl) {
        Instant now = clock.instant();
        Instant halfway = crl.thisUpdate()
                .plus(java.time.Duration.between(crl.thisUpdate(), crl.nextUpdate())
                        .dividedBy(2));
        if (!now.isBefore(halfway)) {
            return true;
        }
        // A revocation recorded after this CRL was signed (by any node or job) must appear without waiting.
        return crls.latestRevocation().map(r -> r.isAfter(crl.thisUpdate())).orElse(false);
    }

    private static RevokedCertificate entry(RevokedEntry row) {
        RevocationReason reason;
        try {
            reason = row.reason() == null ? RevocationReason.UNSPECIFIED : RevocationReason.of(row.reason());
        } catch (IllegalArgumentException unknownName) {
            reason = RevocationReason.UNSPECIFIED;
        }
        return new RevokedCertificate(SerialNumber.ofHex(row.serial()), row.revokedAt(), reason);
    }
}
