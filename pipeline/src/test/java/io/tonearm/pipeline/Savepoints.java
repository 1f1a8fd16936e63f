package io.tonearm.pipeline;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Stopping a test's job with a savepoint, as an operator's upgrade does. */
public final class Savepoints {

    private Savepoints() {
    }

    /**
     * Stops {@code job} with a canonical savepoint under {@code dir} and returns its path. Every record a source
     * emitted before the savepoint's barrier has gone through every operator when this returns.
     *
     * <p>On an idle machine a job can have finished its work before its second subtask is even running, and a
     * savepoint needs every task running: tries again until they are.
     */
    public static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                boolean starting = String.valueOf(e.getMessage()).contains("Not all required tasks are currently running");
                if (!starting || System.nanoTime() > deadline) throw e;
                Thread.sleep(100);
            }
        }
    }
}
