package io.tonearm.sinks.postgres;

import java.util.Locale;

/**
 * A job's lifecycle. Statuses only move forward: {@link #rank()} mirrors the SQL function
 * {@code job_status_rank} that guards every UPDATE (V2 migration), so a replayed or reordered transition is a no-op.
 */
public enum JobStatus {
    QUEUED(0), RUNNING(1), SUCCEEDED(2), FAILED(2), CANCELLED(2);

    private final int rank;

    JobStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return rank == 2;
    }

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromSql(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
