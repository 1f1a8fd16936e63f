package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.postgres.ResultRow;

/**
 * What a {@link HeavyWork} came to: its result row (succeeded, or failed with the analyzer's reason), or, when there
 * is nothing to store (the recording cannot be decoded, the work cannot even start), only {@code failure}, which then
 * fails the waiting jobs and is not remembered: a later request tries again.
 */
public record HeavyOutcome(HeavyWork work, ResultRow row, String failure) {

    public HeavyOutcome {
        if ((row == null) == (failure == null)) throw new IllegalArgumentException("a row or a failure, not both");
    }

    static HeavyOutcome stored(HeavyWork work, ResultRow row) {
        return new HeavyOutcome(work, row, null);
    }

    static HeavyOutcome failed(HeavyWork work, String failure) {
        return new HeavyOutcome(work, null, failure);
    }
}
