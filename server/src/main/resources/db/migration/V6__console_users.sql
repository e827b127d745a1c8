-- Issue 7: console users (RA officers, auditors, administrators). Passwords are stored as Spring Security
-- DelegatingPasswordEncoder hashes ({bcrypt}...); the TOTP key (RFC 6238) must be readable to verify codes.
CREATE TABLE console_role (name VARCHAR(16) NOT NULL PRIMARY KEY);
INSERT INTO console_role (name) VALUES ('ADMINISTRATOR'), ('OFFICER'), ('AUDITOR');

CREATE TABLE console_user (
    name           VARCHAR(64)  NOT NULL PRIMARY KEY,
    role           VARCHAR(16)  NOT NULL REFERENCES console_role (name),
    password_hash  VARCHAR(128) NOT NULL,
    totp_key       BYTEA        NOT NULL,
    -- the last TOTP step accepted: a code is never accepted twice (RFC 6238 §5.2)
    last_step      BIGINT       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(64)  NOT NULL
);
