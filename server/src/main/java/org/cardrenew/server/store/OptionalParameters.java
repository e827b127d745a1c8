package org.cardrenew.server.store;

import java.sql.Types;
import java.time.Instant;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Parameters that may be null, bound with their type even then. Spring binds an untyped null as the driver's
 * "unspecified" type and a string as {@code varchar}; PostgreSQL's driver prepares a statement for the parameter types
 * of its first server-side use and parses it again (PostgreSQL plans it again) whenever a later use differs. Records
 * whose optional fields were null in different places did so on about 40 % of the audit records' pending inserts and on
 * every chaining insert (issue 14, session 11, docs/BENCHMARKS.md).
 */
final class OptionalParameters {

    private OptionalParameters() {}

    static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    static SqlParameterValue instant(Instant value) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE, value == null ? null : Timestamps.of(value));
    }
}
