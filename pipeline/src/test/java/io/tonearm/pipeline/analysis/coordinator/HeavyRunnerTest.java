package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.analysis.testing.WavFiles;
import io.tonearm.events.AnalysisCompleted.ResultRef;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.pipeline.analysis.TestAnalyzers.Gated;
import io.tonearm.pipeline.analysis.TestAnalyzers;
import io.tonearm.pipeline.analysis.heavy.TimeBudgets;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.postgres.ResultStatus;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The async heavy runner in Flink's AsyncWaitOperator on the operator harness, with the real decoder, a real blob
 * store and a test analyzer that waits at a gate for as long as the test wants: runs of the same analysis share one
 * run, a run interrupted by a cancellation reports nothing and runs again from the snapshot, and an undecodable file
 * is a failure without a result row.
 */
class HeavyRunnerTest {

    private static final String SHA = "d".repeat(64);

    @TempDir
    Path dir;
    private RecordingAnalysis analysis;
    private Path wav;

    @BeforeEach
    void setUp() throws Exception {
        analysis = RecordingAnalysis.of(TestAnalyzers::registry, new TimeBudgets(Duration.ofSeconds(60), 3.0,
                Duration.ofMinutes(5), Duration.ofMinutes(5), Set.of(Gated.NAME)), dir.resolve("blobs").toString());
        wav = sine(dir.resolve("tone.wav"));
        Gated.close();
    }

    @AfterEach
    void openGate() {
        Gated.open();
    }

    @Test
    void twoWorksForTheSameAnalysisWhileItRunsShareOneRun() throws Exception {
        OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness = harness(2);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        harness.processElement(new StreamRecord<>(work(wav, first)));
        harness.processElement(new StreamRecord<>(work(wav, second)));
        await("the run at the gate", Duration.ofSeconds(30), () -> Gated.WAITING.get() == 1);

        Gated.open();
        harness.endInput();

        List<HeavyOutcome> outcomes = harness.extractOutputValues();
        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o.row().status()).isEqualTo(ResultStatus.SUCCEEDED));
        assertThat(outcomes).extracting(o -> AwaitingJob.listFromJson(o.work().jobsJson()).get(0).requestId())
                .containsExactlyInAnyOrder(first.toString(), second.toString());
        assertThat(Gated.WAITING.get()).as("one run for both").isEqualTo(1);
        harness.close();
    }

    @Test
    void aRunInterruptedByCancellationReportsNothingAndRunsAgainFromTheSnapshot() throws Exception {
        MockEnvironment task = new MockEnvironmentBuilder().build();
        task.setExpectedExternalFailureCause(Throwable.class);
        OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> before = harness(1, null, task);
        before.processElement(new StreamRecord<>(work(wav, UUID.randomUUID())));
        await("the run at the gate", Duration.ofSeconds(30), () -> Gated.WAITING.get() == 1);
        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        before.getOneInputOperator().close(); // a cancellation: no finish(), the pool is interrupted
        await("the interrupted run ended", Duration.ofSeconds(30), () -> task.getActualExternalFailureCause().isPresent());
        assertThat(task.getActualExternalFailureCause().get()).hasRootCauseInstanceOf(CancellationException.class);
        for (Optional<Mail> mail; (mail = before.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent(); ) {
            mail.get().run();
        }
        assertThat(before.extractOutputValues()).as("the interrupted run reports nothing").isEmpty();

        OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> after = harness(1, snapshot);
        await("the run started again from the snapshot", Duration.ofSeconds(30), () -> Gated.WAITING.get() == 2);
        Gated.open();
        after.endInput();

        assertThat(after.extractOutputValues()).singleElement().satisfies(o -> {
            assertThat(o.row().status()).isEqualTo(ResultStatus.SUCCEEDED);
            String output = io.tonearm.analysis.Json.mapper().readTree(o.row().envelopeJson()).at("/results/output/sha256").asText();
            assertThat(new FileSystemBlobStore(dir.resolve("blobs")).exists(output)).as("its output is stored").isTrue();
        });
        after.close();
    }

    @Test
    void anUndecodableRecordingIsAFailureWithoutARow() throws Exception {
        Path junk = dir.resolve("junk.wav");
        byte[] bytes = new byte[20_000];
        new Random(3).nextBytes(bytes);
        Files.write(junk, bytes);
        OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness = harness(1);
        harness.processElement(new StreamRecord<>(work(junk, UUID.randomUUID())));
        harness.endInput();

        assertThat(harness.extractOutputValues()).singleElement().satisfies(o -> {
            assertThat(o.row()).isNull();
            assertThat(o.failure()).startsWith("undecodable recording");
        });
        harness.close();
    }

    @Test
    void aRunThatIgnoresItsTimeoutFailsAndNoLongerHoldsTheSlotsOnlyHeavyThread() throws Exception {
        Gated.deafToInterrupts = true;
        OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness = harness(1, null, new MockEnvironmentBuilder().build(), 1_000);
        UUID stuck = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        harness.processElement(new StreamRecord<>(work(wav, stuck)));
        await("the run at the gate", Duration.ofSeconds(30), () -> Gated.WAITING.get() == 1);
        harness.setProcessingTime(2_000); // past the operator's timeout: the run is failed and interrupted, and stays
        for (Optional<Mail> mail; (mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent(); ) {
            mail.get().run();
        }
        assertThat(harness.extractOutputValues()).singleElement().satisfies(o -> {
            assertThat(o.row().status()).isEqualTo(ResultStatus.FAILED);
            assertThat(o.row().error()).contains("did not stop within");
        });

        harness.processElement(new StreamRecord<>(work(wav, next))); // the same analysis again: a run of its own
        await("the next run reached the gate beside the stuck one", Duration.ofSeconds(30), () -> Gated.WAITING.get() == 2);
        Gated.open();
        harness.endInput();
        assertThat(harness.extractOutputValues()).hasSize(2).last().satisfies(o -> {
            assertThat(AwaitingJob.listFromJson(o.work().jobsJson()).get(0).requestId()).isEqualTo(next.toString());
            assertThat(o.row().status()).isEqualTo(ResultStatus.SUCCEEDED);
        });
        harness.close();
    }

    private OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness(int threads) throws Exception {
        return harness(threads, null);
    }

    private OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness(int threads, OperatorSubtaskState restore) throws Exception {
        return harness(threads, restore, new MockEnvironmentBuilder().build());
    }

    private OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness(int threads, OperatorSubtaskState restore,
                                                                                MockEnvironment task) throws Exception {
        return harness(threads, restore, task, HeavyRunner.timeout(analysis).toMillis());
    }

    private OneInputStreamOperatorTestHarness<HeavyWork, HeavyOutcome> harness(int threads, OperatorSubtaskState restore,
                                                                                MockEnvironment task, long timeoutMillis) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<>(
                new HeavyRunner(analysis, CatalogLookup.none(), threads), timeoutMillis, threads,
                AsyncDataStream.OutputMode.UNORDERED), TypeInformation.of(HeavyWork.class).createSerializer(new SerializerConfigImpl()), task);
        h.setup();
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    private HeavyWork work(Path file, UUID job) {
        String hash = analysis.registry().select(Gated.NAME, Map.of()).params().hash();
        AnalysisRequested r = new AnalysisRequested(1, job, UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest(Gated.NAME, null, Map.of())), Instant.now());
        AwaitingJob waiting = AwaitingJob.of(r, Map.of(Gated.NAME, new ResultRef(Gated.NAME, 1, hash, AwaitingJob.PENDING, null)), List.of());
        return new HeavyWork(SHA, file.toUri().toString(), Gated.NAME, 1, hash, "{}", AwaitingJob.listToJson(List.of(waiting)));
    }

    /** A 440 Hz sine, 22.05 kHz mono 16-bit. */
    private static Path sine(Path file) throws Exception {
        int rate = 22050, n = rate / 2;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
        return WavFiles.write(file, x, rate, 1, 16);
    }
}
