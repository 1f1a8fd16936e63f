package io.tonearm.launcher;

import io.tonearm.launcher.up.DataDirLock;
import io.tonearm.launcher.up.StackState;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The database an operator command ({@code tonearm keys}, {@code tonearm credits}) works on: an external one; the
 * running {@code tonearm up}'s (found through its state file, while it holds the data dir's lock); or the data dir's
 * own PostgreSQL, started for the command's duration under the lock so that {@code up} cannot start on it meanwhile.
 */
public final class StackDatabase implements AutoCloseable {
    private final Database database;
    private final String description;
    private final AutoCloseable[] alsoClose;

    private StackDatabase(Database database, String description, AutoCloseable... alsoClose) {
        this.database = database;
        this.description = description;
        this.alsoClose = alsoClose;
    }

    /** The database {@code options} name: {@code --jdbc-url}, else the one of {@code --data-dir}. */
    public static StackDatabase open(DatabaseOptions options, Duration wait) {
        return options.external() ? external(options.jdbcUrl(), options.user(), options.password())
                : ofDataDir(options.dataDir(), wait);
    }

    private static StackDatabase external(String jdbcUrl, String user, String password) {
        return new StackDatabase(Database.open(jdbcUrl, user, password, 2), jdbcUrl);
    }

    private static StackDatabase ofDataDir(Path dataDir, Duration wait) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Optional<DataDirLock> lock = DataDirLock.tryAcquire(dir);
        if (lock.isEmpty()) {
            StackState state = awaitState(dir, wait);
            return new StackDatabase(Database.open(state.jdbcUrl(), state.dbUser(), System.getenv("TONEARM_DB_PASSWORD"), 2),
                    "the running tonearm up (pid " + state.pid() + ", " + state.jdbcUrl() + ")");
        }
        PostgresServer pg = null;
        try {
            pg = PostgresServer.builder().directory(dir.resolve("pg")).start();
            String url = pg.createDatabase("tonearm");
            Database db = Database.open(url, PostgresServer.SUPERUSER, null, 2); // Flyway holds a second connection for its lock
            return new StackDatabase(db, "PostgreSQL of " + dir + " (started for this command)", pg, lock.get());
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

    public Database database() {
        return database;
    }

    /** Where the database is, for the operator: the URL, the running up's pid, or the data dir's started server. */
    public String description() {
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
