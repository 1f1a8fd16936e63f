package io.tonearm.launcher.keys;

import io.tonearm.launcher.up.DataDirLock;
import io.tonearm.launcher.up.StackState;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The database {@code tonearm keys} writes to: an external one; the running {@code tonearm up}'s (found through
 * its state file, while it holds the data dir's lock); or the data dir's own PostgreSQL, started for the
 * command's duration under the lock so that {@code up} cannot start on it meanwhile.
 */
final class KeyDatabase implements AutoCloseable {
    private final Database database;
    private final String description;
    private final AutoCloseable[] alsoClose;

    private KeyDatabase(Database database, String description, AutoCloseable... alsoClose) {
        this.database = database;
        this.description = description;
        this.alsoClose = alsoClose;
    }

    static KeyDatabase external(String jdbcUrl, String user, String password) {
        return new KeyDatabase(Database.open(jdbcUrl, user, password, 2), jdbcUrl);
    }

    static KeyDatabase ofDataDir(Path dataDir, Duration wait) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Optional<DataDirLock> lock = DataDirLock.tryAcquire(dir);
        if (lock.isEmpty()) {
            StackState state = awaitState(dir, wait);
            return new KeyDatabase(Database.open(state.jdbcUrl(), state.dbUser(), System.getenv("TONEARM_DB_PASSWORD"), 2),
                    "the running tonearm up (pid " + state.pid() + ", " + state.jdbcUrl() + ")");
        }
        PostgresServer pg = null;
        try {
            pg = PostgresServer.builder().directory(dir.resolve("pg")).start();
            String url = pg.createDatabase("tonearm");
            Database db = Database.open(url, PostgresServer.SUPERUSER, null, 2); // Flyway holds a second connection for its lock
            return new KeyDatabase(db, "PostgreSQL of " + dir + " (started for this command)", pg, lock.get());
        } catch (RuntimeException e) {
            if (pg != null) {
                pg.close();
            }
            lock.get().close();
            throw e;
        }
    }

    /** The lock is held: up runs or is starting; its state file appears once its PostgreSQL is up. */
    private static StackState awaitState(Path dir, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<StackState> state = StackState.read(dir);
            if (state.isPresent() && ProcessHandle.of(state.get().pid()).isPresent()) {
                return state.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a tonearm up holds " + dir + " but has not brought PostgreSQL up within " + wait);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    Database database() {
        return database;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        database.close();
        for (AutoCloseable c : alsoClose) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop " + c, e);
            }
        }
    }
}
