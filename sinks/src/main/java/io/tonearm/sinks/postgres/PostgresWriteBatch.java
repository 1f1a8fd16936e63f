package io.tonearm.sinks.postgres;

import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.sinks.postgres.fingerprint.LandmarkIndexing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies a batch of {@link PostgresWrite}s (result rows, landmarks, job transitions) in one transaction, in order, retrying with backoff on a new
 * connection when PostgreSQL is briefly unreachable. After the last retry the failure propagates (the task fails
 * and restarts from its checkpoint, which replays the writes).
 */
final class PostgresWriteBatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWriteBatch.class);

    private final PostgresConnection pg;
    private final int maxRetries;
    private Connection connection;

    PostgresWriteBatch(PostgresConnection pg, int maxRetries) {
        this.pg = pg;
        this.maxRetries = maxRetries;
    }

    void apply(List<PostgresWrite> writes) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                applyOnce(writes);
                return;
            } catch (SQLException e) {
                closeQuietly();
                if (attempt >= maxRetries) throw new IOException("writing " + writes.size() + " rows to PostgreSQL failed", e);
                long backoff = 200L << attempt;
                LOG.warn("PostgreSQL write failed (attempt {}), retrying in {} ms: {}", attempt + 1, backoff, e.getMessage());
                Thread.sleep(backoff);
            }
        }
    }

    private void applyOnce(List<PostgresWrite> writes) throws SQLException {
        Connection c = connection();
        try (PreparedStatement results = c.prepareStatement(ResultUpsert.SQL);
             PreparedStatement jobs = c.prepareStatement(JobTransitionUpsert.SQL)) {
            // Results before jobs: within the transaction a job's terminal status never precedes its rows, and
            // the commit makes both visible at once. Job transitions keep their relative order.
            boolean anyResult = false, anyJob = false;
            for (PostgresWrite w : writes) {
                if (w.result() != null) {
                    ResultUpsert.bind(results, w.result());
                    results.addBatch();
                    anyResult = true;
                }
            }
            if (anyResult) results.executeBatch();
            // Landmarks after results and before jobs: an identify job reads as succeeded only once its recording is indexed.
            for (PostgresWrite w : writes) {
                if (w.landmarks() != null) LandmarkIndexing.index(c, w.landmarks(), NearDuplicate.STANDARD);
            }
            for (PostgresWrite w : writes) {
                if (w.job() != null) {
                    JobTransitionUpsert.bind(jobs, w.job());
                    jobs.addBatch();
                    anyJob = true;
                }
            }
            if (anyJob) jobs.executeBatch();
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is closed and reopened by the retry
            }
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = pg.open();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
