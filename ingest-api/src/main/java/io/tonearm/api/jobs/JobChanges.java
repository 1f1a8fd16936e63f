package io.tonearm.api.jobs;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Job status changes and stored results as they commit, for every waiting request and SSE stream of this replica,
 * through ONE PostgreSQL connection that {@code LISTEN}s on {@code tonearm_jobs} (the V5 trigger NOTIFYs
 * {@code <job id>:<status>} on every change, whoever wrote it: this API, another replica, the pipeline's sink) and
 * {@code tonearm_results} ({@code <sha256>} for every result row written).
 * <p>
 * A listener is told "this job changed" and re-reads the job: the database stays the truth. After the listening
 * connection is lost and re-established, every listener is told once, because notifications sent meanwhile are gone.
 */
public final class JobChanges implements AutoCloseable {

    static final String JOBS = "tonearm_jobs";
    static final String RESULTS = "tonearm_results";
    private static final Logger LOG = LoggerFactory.getLogger(JobChanges.class);

    /** Undoes a {@link #subscribe}. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public JobChanges(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = new Thread(this::run, "job-changes-listener");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!firstListen.await(10, TimeUnit.SECONDS)) {
                LOG.warn("not yet listening for job changes; waiting requests fall back to periodic re-reads");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls {@code onChange} (on the listener thread; keep it short) whenever {@code jobId} may have changed. */
    public Subscription subscribe(UUID jobId, Runnable onChange) {
        return subscribe(jobId.toString(), onChange);
    }

    /** Calls {@code onStored} whenever a result of the recording {@code sha256} was written. */
    public Subscription subscribeResults(String sha256, Runnable onStored) {
        return subscribe(RESULTS + ":" + sha256, onStored);
    }

    private Subscription subscribe(String key, Runnable onChange) {
        listeners.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(onChange);
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    private void run() {
        boolean reconnected = false;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + JOBS);
                    s.execute("LISTEN " + RESULTS);
                }
                firstListen.countDown();
                if (reconnected) {
                    listeners.values().forEach(set -> set.forEach(JobChanges::safely));
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = pg.getNotifications(1000);
                    if (batch == null) {
                        continue;
                    }
                    for (PGNotification n : batch) {
                        dispatch(n.getName(), n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("job change listener lost its connection; reconnecting", e);
                reconnected = true;
                sleep();
            }
        }
    }

    private void dispatch(String channel, String payload) {
        String key;
        if (RESULTS.equals(channel)) {
            key = RESULTS + ":" + payload;
        } else {
            int colon = payload.indexOf(':');
            key = colon < 0 ? payload : payload.substring(0, colon);
        }
        Set<Runnable> set = listeners.get(key);
        if (set != null) {
            set.forEach(JobChanges::safely);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("job change listener failed", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.join(5000);
    }
}
