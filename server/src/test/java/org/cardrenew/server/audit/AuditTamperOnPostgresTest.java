package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Audit tampering on PostgreSQL, in a fresh schema. The database refuses changes (V5 triggers); the tampering
 * statements run as the table owner with the triggers disabled, as an attacker owning the tables could.
 */
class AuditTamperOnPostgresTest extends AuditTamperContract {

    @Override
    protected DataSource dataSource() {
        PostgresSchema schema = PostgresSchema.fresh();
        return new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
    }

    @Override
    protected void tamper(String... statements) {
        jdbc.sql("ALTER TABLE audit_event DISABLE TRIGGER USER").update();
        jdbc.sql("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER").update();
        jdbc.sql("ALTER TABLE audit_pending DISABLE TRIGGER USER").update();
        try {
            for (String sql : statements) {
                jdbc.sql(sql).update();
            }
        } finally {
            jdbc.sql("ALTER TABLE audit_event ENABLE TRIGGER USER").update();
            jdbc.sql("ALTER TABLE audit_checkpoint ENABLE TRIGGER USER").update();
            jdbc.sql("ALTER TABLE audit_pending ENABLE TRIGGER USER").update();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "UPDATE audit_event SET detail = 'x' WHERE seq = 3",
                "DELETE FROM audit_event WHERE seq = 3",
                "TRUNCATE audit_event",
                "UPDATE audit_checkpoint SET head_hash = 'x' WHERE seq = 4",
                "DELETE FROM audit_checkpoint"
            })
    void theDatabaseRefusesToChangeTheTrail(String sql) {
        assertThatThrownBy(() -> jdbc.sql(sql).update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event")
                        .query(Long.class)
                        .single())
                .isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"UPDATE audit_pending SET detail = 'x'", "DELETE FROM audit_pending", "TRUNCATE audit_pending"})
    void theDatabaseRefusesToChangeOrDropARecordWaitingToBeChained(String sql) {
        jdbc.sql("""
                        INSERT INTO audit_pending (occurred_at, actor, action, outcome, code)
                        VALUES (CURRENT_TIMESTAMP, 'serial-7', 'STATUS_REFUSED', 'REFUSED', 'REVOKED')""").update();
        assertThatThrownBy(() -> jdbc.sql(sql).update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE actor = 'serial-7' AND detail IS NULL")
                        .query(Long.class)
                        .single())
                .as("still there, unchanged")
                .isEqualTo(1);
    }
}
