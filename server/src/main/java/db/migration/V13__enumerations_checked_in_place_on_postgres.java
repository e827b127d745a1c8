package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.cardrenew.server.store.Databases;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14: on PostgreSQL the four enumerations every renewal writes (a pair's status, a certificate's kind, a
 * renewal's state, an audit record's outcome) are checked by a CHECK constraint on the column instead of a foreign
 * key to their reference table. A foreign key check takes a KEY SHARE lock on the referenced row; on a reference
 * table of two to four rows every concurrent renewal locks the same row, so PostgreSQL writes that row's lock and
 * builds a MultiXact of all its current lockers on every insert. Measured with the bench (docs/BENCHMARKS.md,
 * session 7): the claim's {@code INSERT INTO renewal} took 829 µs on average and an audit record's insert 64 µs;
 * without those foreign keys 295 µs and 30 µs.
 *
 * <p>The allowed values are the reference table's rows, read here, so the CHECK accepts exactly what the foreign
 * key accepted. The reference tables stay: H2 keeps its foreign keys (H2 2.4 evaluates an IN-list CHECK with the
 * session that created it, see V1). Since V18 PostgreSQL checks the values by a domain per enumeration, which a later
 * migration that adds a value replaces ({@code StoreContractTest} tries every enum constant on both databases).
 */
public class V13__enumerations_checked_in_place_on_postgres extends BaseJavaMigration {

    /** Column, its table, and the reference table its foreign key names. */
    private record Enumeration(String table, String column, String values) {}

    private static final List<Enumeration> ENUMERATIONS = List.of(
            new Enumeration("card_pair", "status", "pair_status"),
            new Enumeration("certificate", "kind", "certificate_kind"),
            new Enumeration("renewal", "state", "renewal_state"),
            new Enumeration("audit_event", "outcome", "audit_outcome"));

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!Databases.onPostgres(connection)) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            for (Enumeration e : ENUMERATIONS) {
                String allowed = allowedValues(connection, e.values());
                s.execute("ALTER TABLE " + e.table() + " DROP CONSTRAINT " + foreignKey(connection, e));
                s.execute("ALTER TABLE " + e.table() + " ADD CONSTRAINT " + e.table() + "_" + e.column()
                        + "_allowed CHECK (" + e.column() + " IN (" + allowed + "))");
            }
        }
    }

    /** The values of a reference table as the list of an SQL {@code IN} (V18 reads them too). */
    static String allowedValues(Connection connection, String table) throws SQLException {
        return valuesOf(connection, table).stream()
                .map(v -> "'" + v.replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
    }

    private static List<String> valuesOf(Connection connection, String table) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM " + table + " ORDER BY name")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("the reference table " + table + " is empty");
        }
        return values;
    }

    private static String foreignKey(Connection connection, Enumeration e) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT conname FROM pg_constraint
                WHERE contype = 'f' AND conrelid = to_regclass(?) AND confrelid = to_regclass(?)""")) {
            s.setString(1, e.table());
            s.setString(2, e.values());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "no foreign key from " + e.table() + "." + e.column() + " to " + e.values());
                }
                return "\"" + rs.getString(1).replace("\"", "\"\"") + "\"";
            }
        }
    }
}
