-- Issue 13 item 6: checkpoints form a chain of their own. Each one signs the seq of the checkpoint before it, so a
-- deleted checkpoint is named by the next one; the unique index lets only one node extend that chain from a given
-- checkpoint (the other's insert fails and it signs next time). NULL in rows signed before this version (several
-- NULLs are allowed by a unique index on H2 and PostgreSQL alike). timestamp_token: an optional RFC 3161 token over
-- SHA-256 of the signature (docs/AUDIT.md).
ALTER TABLE audit_checkpoint ADD COLUMN previous_seq BIGINT;
ALTER TABLE audit_checkpoint ADD COLUMN timestamp_token BYTEA;
CREATE UNIQUE INDEX audit_checkpoint_previous ON audit_checkpoint (previous_seq);
