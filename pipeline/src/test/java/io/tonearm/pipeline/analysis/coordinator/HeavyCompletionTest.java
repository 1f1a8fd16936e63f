package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.events.AnalysisCompleted;
import io.tonearm.events.AnalysisCompleted.ResultRef;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.EventCodec;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.PostgresWrite;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of jobs that waited for heavy analyses, on Flink's keyed operator harness: a job that asked for a light
 * result and two heavy ones ends once, after both heavy outcomes, with its rows before its transition, and leaves no
 * state behind; an undecodable recording fails the job with the reason.
 */
class HeavyCompletionTest {

    private static final String SHA = "c".repeat(64);
    private KeyedOneInputStreamOperatorTestHarness<String, HeavyOutcome, PostgresWrite> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new HeavyCompletion(Duration.ofDays(1))), o -> o.work().sha256(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aJobWaitingForTwoHeavyResultsEndsOnceAfterBothWithItsRowsBeforeItsTransition() throws Exception {
        AnalysisRequested r = request();
        ResultRow lufs = row("loudness-ebur128", "l1", ResultStatus.SUCCEEDED);
        Map<String, ResultRef> results = new LinkedHashMap<>();
        results.put("lufs", ref("loudness-ebur128", "l1", "succeeded"));
        results.put("stems", ref("separate-2stem", "s1", AwaitingJob.PENDING));
        results.put("master", ref("master", "m1", AwaitingJob.PENDING));
        AwaitingJob job = AwaitingJob.of(r, results, List.of(lufs));

        harness.processElement(new StreamRecord<>(HeavyOutcome.stored(work("master", "m1", job), row("master", "m1", ResultStatus.SUCCEEDED))));
        assertThat(transitions()).as("the stems are still running").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement(new StreamRecord<>(HeavyOutcome.stored(work("separate-2stem", "s1", job),
                row("separate-2stem", "s1", ResultStatus.SUCCEEDED))));

        List<PostgresWrite> writes = harness.extractOutputValues();
        assertThat(writes).extracting(w -> w.result() != null ? w.result().analyzer() : w.job().status().sql())
                .containsExactly("master", "separate-2stem", "loudness-ebur128", "succeeded");
        assertThat(completions()).singleElement().satisfies(c -> {
            assertThat(c.requestId()).isEqualTo(r.requestId());
            assertThat(c.status()).isEqualTo("succeeded");
            assertThat(c.results()).containsOnlyKeys("lufs", "stems", "master");
        });
        assertThat(harness.numKeyedStateEntries()).as("nothing kept once the job ended").isZero();
    }

    @Test
    void anUndecodableRecordingFailsTheWaitingJobWithTheReasonAndStoresNothing() throws Exception {
        AnalysisRequested r = request();
        AwaitingJob job = AwaitingJob.of(r, Map.of("stems", ref("separate-2stem", "s1", AwaitingJob.PENDING)), List.of());

        harness.processElement(new StreamRecord<>(HeavyOutcome.failed(work("separate-2stem", "s1", job),
                "undecodable recording (not_media): no audio")));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(w -> {
            assertThat(w.result()).isNull();
            assertThat(w.job().status()).isEqualTo(JobStatus.FAILED);
            assertThat(w.job().error()).isEqualTo("undecodable recording (not_media): no audio");
        });
        assertThat(completions()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("failed"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private List<JobStatus> transitions() {
        return harness.extractOutputValues().stream().filter(w -> w.job() != null).map(w -> w.job().status()).toList();
    }

    private List<AnalysisCompleted> completions() {
        return harness.getSideOutput(RecordingCoordinator.COMPLETIONS).stream()
                .map(c -> EventCodec.decodeAnalysisCompleted(c.getValue().json().getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static HeavyWork work(String analyzer, String hash, AwaitingJob job) {
        return new HeavyWork(SHA, "file:/blobs/" + SHA, analyzer, 1, hash, "{}", AwaitingJob.listToJson(List.of(job)));
    }

    private static ResultRow row(String analyzer, String hash, ResultStatus status) {
        return new ResultRow(SHA, analyzer, 1, hash, "{}", status == ResultStatus.SUCCEEDED ? "{\"results\": {}}" : null,
                status, status == ResultStatus.SUCCEEDED ? null : "failed", Instant.now());
    }

    private static ResultRef ref(String analyzer, String hash, String status) {
        return new ResultRef(analyzer, 1, hash, status, null);
    }

    private static AnalysisRequested request() {
        return new AnalysisRequested(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("separate-2stem", null, Map.of())), Instant.now());
    }
}
