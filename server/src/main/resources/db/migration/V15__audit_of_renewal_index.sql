-- The console's renewal page lists the audit records of one renewal (ConsoleSearch.auditOfRenewal). Without this index
-- each view scanned the whole audit trail, which only grows. One more index entry per chained record.
CREATE INDEX audit_event_renewal ON audit_event (renewal_id);
