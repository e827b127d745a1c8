-- Issue 7: signed checkpoints of the audit chain (docs/AUDIT.md). Each row signs the chain head (seq, hash) at
-- one moment with the dedicated audit key, so a rewrite of the whole chain after that moment (recomputing every
-- hash) or a truncated tail is still detected: the verifier checks the record at seq still has head_hash.
CREATE TABLE audit_checkpoint (
    seq              BIGINT       NOT NULL PRIMARY KEY,
    head_hash        VARCHAR(64)  NOT NULL,
    signed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    algorithm        VARCHAR(32)  NOT NULL,
    key_fingerprint  VARCHAR(64)  NOT NULL,
    signature        BYTEA        NOT NULL,
    certificate      BYTEA        NOT NULL
);
