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
 * Job status changes as they commit, for every waiting request and SSE stream of this replica through ONE
 * PostgreSQL connection that {@code LISTEN}s on {@code tonearm_jobs} (the V30 trigger NOTIFYs
 * {@code <job id>:<status>} on every change, whoever wrote it: this API, another replica, the pipeline's sink).
 * <p>
 * A listener is told "this job changed" and re-reads the job: the database stays the truth. After the listening
 * connection is lost and re-established, every listener is told once, because notifications sent meanwhile are gone.
 */
public final class JobChanges implements AutoCloseable {

    static final String CHANNEL = "tonearm_jobs";
    private static final Logger LOG = LoggerFactory.getLogger(JobChanges.class);

    /** Undoes a {@link #subscribe}. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final DataSource dataSource;
    private final ConcurrentHashMap<UUID, Set<Runnable>> listeners = new ConcurrentHashMap<>();
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
        listeners.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(onChange);
        return () -> listeners.computeIfPresent(jobId, (k, set) -> {
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
                    s.execute("LISTEN " + CHANNEL);
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
                        dispatch(n.getParameter());
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

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        UUID id;
        try {
            id = UUID.fromString(colon < 0 ? payload : payload.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return;
        }
        Set<Runnable> set = listeners.get(id);
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
