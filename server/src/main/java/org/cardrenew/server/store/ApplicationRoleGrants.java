package org.cardrenew.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 item 6: when Flyway migrates as the schema owner ({@code spring.flyway.user}) and the server runs as
 * another role ({@code spring.datasource.username}), this grants that role what the server needs and no more, after
 * every migration (so tables added later are covered): read and write the business tables, only INSERT and SELECT
 * the audit records and checkpoints, only SELECT and UPDATE the chain head, only INSERT, SELECT and DELETE the records
 * waiting to be chained (a DELETE the V14 trigger allows only for records chained with their content), nothing on
 * Flyway's history. Not owning the tables, the role cannot disable or drop the append-only triggers (docs/AUDIT.md).
 * PostgreSQL only: embedded H2 has a single user.
 */
public class ApplicationRoleGrants implements Callback {

    private static final Logger log = LoggerFactory.getLogger(ApplicationRoleGrants.class);
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String applicationRole;

    /** @param applicationRole the role the server connects as; blank when it is the migration role itself */
    public ApplicationRoleGrants(String applicationRole) {
        if (applicationRole != null
                && !applicationRole.isBlank()
                && !ROLE.matcher(applicationRole).matches()) {
            throw new IllegalArgumentException(
                    "the application role name must be a plain identifier: " + applicationRole);
        }
        this.applicationRole = applicationRole == null || applicationRole.isBlank() ? null : applicationRole;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE && applicationRole != null;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "application role grants";
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            grant(context.getConnection(), context.getConfiguration().getTable());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot grant the application role " + applicationRole + " its rights: " + e.getMessage(), e);
        }
    }

    void grant(Connection connection, String historyTable) throws SQLException {
        if (!Databases.onPostgres(connection)) {
            return;
        }
        String role = '"' + applicationRole + '"';
        try (Statement s = connection.createStatement()) {
            String schema;
            try (var rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = '"' + rs.getString(1).replace("\"", "\"\"") + '"';
            }
            s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
            s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
            // The audit trail: append and read, never change (the V5 triggers refuse it too, but the owner may
            // disable triggers; this role may not).
            s.execute("REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_event, audit_checkpoint FROM "
                    + role);
            // Records waiting to be chained: written and read; deleted only by the chainer, once chained with their
            // content (the V14 trigger refuses any other DELETE), never updated.
            s.execute("REVOKE UPDATE, TRUNCATE, TRIGGER, REFERENCES ON audit_pending FROM " + role);
            // The head moves forward on every append; its one row is never inserted or deleted.
            s.execute("REVOKE INSERT, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_head FROM " + role);
            s.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_outcome FROM " + role);
            // Flyway's own history: the application has no business there.
            s.execute("REVOKE ALL ON \"" + historyTable.replace("\"", "\"\"") + "\" FROM " + role);
        }
        log.info("granted the application role {} its rights (audit tables: INSERT and SELECT only)", applicationRole);
    }
}
