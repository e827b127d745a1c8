-- Issue 12: an officer's card was bound to a console user by one signing certificate's serial, so the officer's own
-- renewal ended card sign-in (the new certificate was unbound) while the superseded certificate still signed in.
-- The binding is now by the card holder's identity: holder_id, the subject's SERIALNUMBER this CA certifies. Which
-- of the holder's certificates may sign in is decided at sign-in (the current signing certificate only), so a
-- completed renewal moves the binding to the new certificate without touching this table.
CREATE TABLE console_officer_card (
    holder_id   VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES holder (holder_id),
    user_name   VARCHAR(64) NOT NULL REFERENCES console_user (name),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Existing bindings move to the holder of the certificate they named. A serial this CA never stored could never sign
-- in and is dropped; should two users hold certificates of one holder, the first user name in sort order keeps it.
INSERT INTO console_officer_card (holder_id, user_name, created_at)
SELECT p.holder_id, MIN(b.user_name), MIN(b.created_at)
FROM console_card b
JOIN certificate c ON c.serial = b.certificate_serial
JOIN card_pair p ON p.id = c.pair_id
GROUP BY p.holder_id;

DROP TABLE console_card;

CREATE INDEX console_officer_card_user ON console_officer_card (user_name);
