package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Officer cards bound to console users by the card holder's identity (issue 12): whichever signing certificate is the
 * holder's current one signs in, so the binding survives the officer's own renewal.
 */
@Repository
public class ConsoleCardRepository {

    private final JdbcClient jdbc;

    public ConsoleCardRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Binds; a holder already bound fails with DuplicateKeyException, an unknown user or holder with a FK violation. */
    public void bind(HolderId holder, String userName, Instant at) {
        jdbc.sql("INSERT INTO console_officer_card (holder_id, user_name, created_at) VALUES (?, ?, ?)")
                .params(holder.value(), userName, Timestamps.of(at))
                .update();
    }

    /** The holder of the certificate with this serial, if this CA stored one. */
    public Optional<HolderId> holderOf(String certificateSerial) {
        return jdbc.sql("SELECT p.holder_id FROM certificate c JOIN card_pair p ON p.id = c.pair_id WHERE c.serial = ?")
                .param(certificateSerial)
                .query((rs, n) -> new HolderId(rs.getString(1)))
                .optional();
    }

    /**
     * The console user bound to the holder of this signing certificate, only while it is the holder's current one:
     * not revoked, its pair ACTIVE (a completed renewal SUPERSEDES it; a revocation of the card REVOKES it), and not
     * the new pair of a renewal the card has not confirmed yet (ISSUED) or never confirmed.
     */
    public Optional<String> userOfCurrentSigningCertificate(String certificateSerial) {
        return jdbc.sql("""
                        SELECT o.user_name FROM certificate c
                        JOIN card_pair p ON p.id = c.pair_id
                        JOIN console_officer_card o ON o.holder_id = p.holder_id
                        WHERE c.serial = ? AND c.kind = 'SIGNING' AND c.revoked_at IS NULL AND p.status = 'ACTIVE'
                          AND NOT EXISTS (SELECT 1 FROM renewal r WHERE r.new_pair_id = p.id AND r.state <> 'COMPLETED')""").param(certificateSerial).query(String.class).optional();
    }
}
