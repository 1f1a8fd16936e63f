package io.tonearm.api.jobs;

import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.postgres.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives back the credits of failed and cancelled jobs. Whoever fails a job (the pipeline's sink, a cancel, a forced
 * asset deletion), the jobs trigger (V5) queues it in {@code job_refunds_due} in the same transaction; this worker
 * refunds (the ledger refunds a charge key at most once; jobs charged under their id) and removes the row in one
 * transaction, claiming rows with {@code FOR UPDATE SKIP LOCKED} so replicas share the work.
 */
public final class JobRefunds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRefunds.class);
    private static final int BATCH = 100;

    private final Database db;
    private final CreditLedger credits;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-refunds");
        t.setDaemon(true);
        return t;
    });

    public JobRefunds(Database db, CreditLedger credits, Duration interval) {
        this.db = db;
        this.credits = credits;
        this.interval = interval;
    }

    public JobRefunds start() {
        scheduler.scheduleWithFixedDelay(this::drainQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Refunds everything queued; returns how many charges were given back. Scheduled; callable by tests. */
    public int drain() {
        int refunded = 0;
        int handled;
        do {
            int[] counts = db.inTransaction(c -> {
                List<UUID> due = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT job_id FROM job_refunds_due ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setInt(1, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                int n = 0;
                for (UUID job : due) {
                    if (credits.refund(c, job.toString())) {
                        n++;
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_refunds_due WHERE job_id = ?")) {
                        ps.setObject(1, job);
                        ps.executeUpdate();
                    }
                }
                return new int[]{due.size(), n};
            });
            handled = counts[0];
            refunded += counts[1];
        } while (handled == BATCH);
        return refunded;
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            LOG.warn("refunding failed jobs failed; retrying next round", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
