package io.tonearm.pipeline;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Whether {@code job} is still going; throws its failure when it has ended. A savepoint the job cannot restore
     * (state no operator claims, a serializer that cannot read it) fails the job as it starts: a test waiting for
     * the restored job's output says why at once instead of timing out.
     */
    public static boolean stillGoing(JobClient job) {
        try {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) return true;
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the job " + status + ": " + e.getCause(), e.getCause());
            }
            throw new AssertionError("the job ended: " + status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot ask the job for its status", e);
        }
    }
}
