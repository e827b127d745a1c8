-- Issue 7: officers sign in to the console with their own smart card. The administrator binds a signing
-- certificate (by serial) to a console user; the user's role applies. A card is bound to one user at most.
CREATE TABLE console_card (
    certificate_serial  VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_name           VARCHAR(64)  NOT NULL REFERENCES console_user (name),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
