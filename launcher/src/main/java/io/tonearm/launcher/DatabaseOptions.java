package io.tonearm.launcher;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where a command finds the stack's database: the {@code tonearm up} data directory, or an external PostgreSQL.
 * One declaration shared (as a picocli mixin) by every command that needs it, so the flags, environment variables
 * and defaults cannot drift apart.
 */
public final class DatabaseOptions {

    @Option(names = "--data-dir", defaultValue = "${env:TONEARM_DATA_DIR:-.tonearm}", paramLabel = "DIR",
            description = "The tonearm up data directory: pg/, kafka/, es/, blobs/, flink/, logs/ (env TONEARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--jdbc-url", defaultValue = "${env:TONEARM_JDBC_URL}", paramLabel = "URL",
            description = "Use this PostgreSQL instead of the data directory's (env TONEARM_JDBC_URL; user and password from TONEARM_DB_USER / TONEARM_DB_PASSWORD or the URL).")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:TONEARM_DB_USER}", paramLabel = "USER",
            description = "User for --jdbc-url (env TONEARM_DB_USER).")
    String dbUser;

    public Path dataDir() {
        return dataDir;
    }

    /** True when {@code --jdbc-url} (or its variable) names an external database. */
    public boolean external() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return dbUser;
    }

    /** Kept out of the command line (it would show in process listings): only from TONEARM_DB_PASSWORD. */
    public String password() {
        return System.getenv("TONEARM_DB_PASSWORD");
    }
}
