package org.cardrenew.server.revocation;

import org.cardrenew.ca.RevocationReason;
import org.cardrenew.ca.RevocationStatus;
import org.cardrenew.ca.RevocationStatusLookup;
import org.cardrenew.ca.SerialNumber;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.CrlRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Component;

/** The store's answer for OCSP: good, revoked (time, reason), or unknown when the serial was never stored. */
@Component
public class OcspStatusLookup implements RevocationStatusLookup {

    private final CertificateRepository certificates;
    private final CrlRepository revocations;

    public OcspStatusLookup(CertificateRepository certificates, CrlRepository revocations) {
        this.certificates = certificates;
        this.revocations = revocations;
    }

    @Override
    public RevocationStatus statusOf(SerialNumber serial) {
        return certificates.findBySerial(serial.hex()).map(this::status).orElseGet(RevocationStatus::unknown);
    }

    private RevocationStatus status(StoredCertificate certificate) {
        if (!certificate.revoked()) {
            return RevocationStatus.good();
        }
        return RevocationStatus.revoked(
                certificate.revokedAt(),
                revocations
                        .revocationReason(certificate.serial())
                        .map(OcspStatusLookup::reason)
                        .orElse(null));
    }

    static RevocationReason reason(String name) {
        try {
            return RevocationReason.of(name);
        } catch (IllegalArgumentException notOurs) {
            return RevocationReason.UNSPECIFIED;
        }
    }
}
