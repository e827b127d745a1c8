package db.migration;

import java.sql.Statement;
import java.util.stream.Collectors;
import org.cardrenew.server.store.Databases;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14, session 11: V14's guard on {@code audit_pending} checked each deleted row in a trigger of its own (a
 * PL/pgSQL call and a query per record, about 29 µs each, 51 records per chaining batch in the benchmark). It now
 * checks the whole {@code DELETE} once, after it, over the deleted rows: the same rule (a pending record goes only
 * once a chained copy with exactly its content exists, else the statement fails and nothing is deleted), one query
 * per batch. The query is pinned to a nested loop over {@code audit_event_pending} (an index lookup per deleted row,
 * whatever the length of the trail, also when the session planned it while the trail was still short): the planner
 * knows nothing of a transition table's size and, left free, chose a scan of {@code audit_event} (why V14 checked row
 * by row). H2 has no such guard (docs/AUDIT.md).
 */
public class V16__audit_pending_checked_per_statement extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!Databases.onPostgres(context.getConnection())) {
            return;
        }
        String same = V14__audit_outbox.CONTENT.stream()
                .map(c -> "e." + c + " IS NOT DISTINCT FROM d." + c)
                .collect(Collectors.joining(" AND "));
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("DROP TRIGGER audit_pending_deleted_only_when_chained ON audit_pending");
            s.execute("DROP FUNCTION audit_pending_deleted_only_when_chained()");
            s.execute("""
                    CREATE FUNCTION audit_pending_deleted_only_when_chained() RETURNS trigger LANGUAGE plpgsql
                    SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
                    BEGIN
                        IF EXISTS (SELECT 1 FROM deleted d
                                   WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.pending_id = d.id AND %s)) THEN
                            RAISE EXCEPTION 'the audit trail is append-only: a pending record is deleted only once it '
                                            'is chained with its content'
                                USING ERRCODE = 'insufficient_privilege';
                        END IF;
                        RETURN NULL;
                    END
                    $$""".formatted(same));
            s.execute("CREATE TRIGGER audit_pending_deleted_only_when_chained AFTER DELETE ON audit_pending"
                    + " REFERENCING OLD TABLE AS deleted"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_deleted_only_when_chained()");
        }
    }
}
