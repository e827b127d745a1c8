-- Issue 12: an issued renewal the card never confirms within cardrenew.renewal.confirm-within is closed: its new
-- certificates are revoked (cessationOfOperation) and the renewal ends EXPIRED_UNCONFIRMED. Closing frees the pair's
-- renewal slot, so the card can start a fresh renewal from its old pair while that is still valid: old_pair_id stays
-- the UNIQUE slot of the live renewal (no partial indexes on H2), a closed renewal moves its pair to closed_pair_id.
ALTER TABLE renewal_state ALTER COLUMN name SET DATA TYPE VARCHAR(32);
ALTER TABLE renewal ALTER COLUMN state SET DATA TYPE VARCHAR(32);
INSERT INTO renewal_state (name) VALUES ('EXPIRED_UNCONFIRMED');

ALTER TABLE renewal ALTER COLUMN old_pair_id DROP NOT NULL;
ALTER TABLE renewal ADD COLUMN closed_pair_id BIGINT REFERENCES card_pair (id);
ALTER TABLE renewal ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
-- Exactly one of the two names the pair renewed.
ALTER TABLE renewal ADD CONSTRAINT renewal_renews_one_pair
    CHECK ((old_pair_id IS NULL AND closed_pair_id IS NOT NULL) OR (old_pair_id IS NOT NULL AND closed_pair_id IS NULL));

-- The closing job looks for ISSUED renewals by issue time; card revocation and sign-in follow new_pair_id.
CREATE INDEX renewal_state_issued ON renewal (state, issued_at);
CREATE INDEX renewal_new_pair ON renewal (new_pair_id);
CREATE INDEX renewal_closed_pair ON renewal (closed_pair_id);
