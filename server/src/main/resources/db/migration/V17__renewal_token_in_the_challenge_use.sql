-- Issue 14, session 11: the renewal token a status check hands out is stored with the challenge's single-use record,
-- which the check writes anyway, instead of in a table of its own: one INSERT per status check (and per renewal) less.
-- The record carries the token's SHA-256, the serial of the signing certificate the card presented, and the token's
-- expiry; the token itself is handed out only when the card proved possession of that certificate's key and its
-- standing allows a renewal (ra.StatusService), so a hash stored for a refused or unwarranted check names a token
-- nobody holds. Tokens issued before this migration are dropped with their table: a card gets a new one by checking
-- its status again.
ALTER TABLE challenge ADD COLUMN token_sha256 VARCHAR(64);
ALTER TABLE challenge ADD COLUMN certificate_serial VARCHAR(64);
ALTER TABLE challenge ADD COLUMN token_expires_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX challenge_token ON challenge (token_sha256);
DROP TABLE renewal_token;
