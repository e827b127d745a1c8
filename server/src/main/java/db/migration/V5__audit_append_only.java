package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.cardrenew.server.store.Databases;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 7: on PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit records and checkpoints
 * (the chain head row stays updatable: appends advance it). A Java migration because trigger syntax differs between
 * PostgreSQL and H2; embedded H2 has no such guard (its only user is the server process itself), and there the hash
 * chain and the signed checkpoints are the defence (docs/AUDIT.md). The table owner can still disable the triggers:
 * production runs the server as a role that does not own the tables.
 */
public class V5__audit_append_only extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!Databases.onPostgres(connection)) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                            USING ERRCODE = 'insufficient_privilege';
                    END
                    $$""");
            for (String table : new String[] {"audit_event", "audit_checkpoint"}) {
                s.execute("CREATE TRIGGER " + table + "_append_only BEFORE UPDATE OR DELETE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION audit_append_only()");
                s.execute("CREATE TRIGGER " + table + "_no_truncate BEFORE TRUNCATE ON " + table
                        + " FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()");
            }
        }
    }
}
