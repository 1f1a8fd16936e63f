package io.tonearm.sinks.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/** Where PostgreSQL is: serializable, so Flink functions and sinks can carry it to the task managers. */
public record PostgresConnection(String jdbcUrl, String user, String password) implements Serializable {

    public PostgresConnection {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    /** A plain (unpooled) connection, for a task that holds one for its lifetime. */
    public Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return "PostgresConnection[" + jdbcUrl + ", user=" + user + "]";
    }
}
