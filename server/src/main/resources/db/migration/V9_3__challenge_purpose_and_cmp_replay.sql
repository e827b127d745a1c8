-- Issue 13 item 4: a challenge authenticates one purpose only (a status proof is never a console sign-in).
ALTER TABLE challenge ADD COLUMN purpose VARCHAR(32) DEFAULT 'STATUS' NOT NULL;

-- Issue 13 item 8: CMP transactionIDs and senderNonces seen, kept until a replay would fail the messageTime
-- window anyway (RFC 4210 §5.1.1). Shared by every node on the database, and kept across restarts.
CREATE TABLE cmp_replay (
    kind        VARCHAR(16)  NOT NULL,
    value_hex   VARCHAR(128) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, value_hex)
);
CREATE INDEX cmp_replay_expires ON cmp_replay (expires_at);
