package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.cardrenew.server.store.Databases;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14, session 13: on PostgreSQL the enumerations a renewal writes are checked by a domain instead of V13's
 * CHECK constraint on each column; the allowed values stay exactly the reference table's. PostgreSQL prepares a
 * table's CHECK constraints for every statement that writes the table (it reads each constraint's stored expression
 * back and plans it: {@code stringToNode} and {@code eval_const_expressions} in every {@code INSERT} and
 * {@code UPDATE}, generic plan or not), while a domain's constraint is planned once per session and kept in its type
 * cache. A profile of PostgreSQL under the benchmark put the preparing of CHECK constraints at 5.3 % of the server's
 * PostgreSQL CPU, about ten IN-lists per renewal (docs/BENCHMARKS.md).
 *
 * <p>The change does not rewrite a table: each column first becomes the domain without a constraint (the same
 * {@code VARCHAR}, binary-coercible, its indexes kept), then the domain gets its constraint, which PostgreSQL
 * validates against the rows already there. A later migration that adds a value adds it to the reference table and,
 * on PostgreSQL, replaces the domain's constraint ({@code StoreContractTest} tries every enum constant and a value
 * outside on both databases). H2 keeps its foreign keys (V13).
 */
public class V18__enumerations_as_domains_on_postgres extends BaseJavaMigration {

    /** A reference table, the domain that takes its place on PostgreSQL, and the columns V13 gave a CHECK. */
    private record Enumeration(String values, String domain, List<Column> columns) {}

    private record Column(String table, String name, String check) {}

    private static final List<Enumeration> ENUMERATIONS = List.of(
            new Enumeration(
                    "pair_status",
                    "pair_status_value",
                    List.of(new Column("card_pair", "status", "card_pair_status_allowed"))),
            new Enumeration(
                    "certificate_kind",
                    "certificate_kind_value",
                    List.of(new Column("certificate", "kind", "certificate_kind_allowed"))),
            new Enumeration(
                    "renewal_state",
                    "renewal_state_value",
                    List.of(new Column("renewal", "state", "renewal_state_allowed"))),
            new Enumeration(
                    "audit_outcome",
                    "audit_outcome_value",
                    List.of(
                            new Column("audit_event", "outcome", "audit_event_outcome_allowed"),
                            new Column("audit_pending", "outcome", "audit_pending_outcome_allowed"))));

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!Databases.onPostgres(connection)) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            for (Enumeration e : ENUMERATIONS) {
                String allowed = V13__enumerations_checked_in_place_on_postgres.allowedValues(connection, e.values());
                s.execute("CREATE DOMAIN " + e.domain() + " AS " + typeOf(connection, e.columns()));
                // Whoever may write the columns may use their type, whatever the database's default privileges.
                s.execute("GRANT USAGE ON DOMAIN " + e.domain() + " TO PUBLIC");
                for (Column c : e.columns()) {
                    s.execute("ALTER TABLE " + c.table() + " DROP CONSTRAINT " + c.check());
                    s.execute("ALTER TABLE " + c.table() + " ALTER COLUMN " + c.name() + " TYPE " + e.domain());
                }
                s.execute("ALTER DOMAIN " + e.domain() + " ADD CONSTRAINT " + e.domain() + "_allowed CHECK (VALUE IN ("
                        + allowed + "))");
            }
        }
    }

    /** The columns' one declared type ({@code character varying(16)}), so the domain changes nothing else. */
    private static String typeOf(Connection connection, List<Column> columns) throws SQLException {
        String type = null;
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped""")) {
            for (Column c : columns) {
                s.setString(1, c.table());
                s.setString(2, c.name());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no column " + c.table() + "." + c.name());
                    }
                    String declared = rs.getString(1);
                    if (type != null && !type.equals(declared)) {
                        throw new IllegalStateException(
                                c.table() + "." + c.name() + " is " + declared + ", the other columns " + type);
                    }
                    type = declared;
                }
            }
        }
        return type;
    }
}
