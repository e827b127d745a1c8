package org.cardrenew.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Which database a connection reaches: the server runs on PostgreSQL or on embedded H2 (docs/OPERATIONS.md). */
public final class Databases {

    private Databases() {}

    /** Whether {@code connection} reaches PostgreSQL (the driver answers from memory: no round trip). */
    public static boolean onPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }
}
