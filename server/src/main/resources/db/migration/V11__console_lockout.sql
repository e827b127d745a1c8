-- Issue 13: a console account is locked after repeated failed sign-ins, in the database so that the lock holds on
-- every node. failed_sign_ins counts failures since the last success or lock; locked_until ends the lock (an
-- administrator may end it earlier). The TOTP keys are sealed (AES-GCM) by the server at start: no change here.
ALTER TABLE console_user ADD COLUMN failed_sign_ins INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE console_user ADD COLUMN locked_until TIMESTAMP WITH TIME ZONE;
