package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.pipeline.analysis.output.SearchUpdate;
import io.tonearm.pipeline.analysis.source.Inbound;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.JobTransition;
import io.tonearm.sinks.postgres.PostgresWrite;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.sinks.assets.ProbeOutcome;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's keyed state and timers on Flink's operator test harness: requests waiting for a blob leave
 * no timer behind once handled, the deadline fails them, repeats are answered once.
 */
class RecordingCoordinatorTest {

    private static final String SHA = "b".repeat(64);

    @TempDir
    Path dir;
    private KeyedOneInputStreamOperatorTestHarness<String, Inbound, PostgresWrite> harness;
    private Path wav;

    @BeforeEach
    void open() throws Exception {
        wav = dir.resolve("tone.wav");
        int n = 22050;
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            short s = (short) (10000 * Math.sin(2 * Math.PI * 440 * i / 22050.0));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), new AudioFormat(22050, 16, 1, true, false), n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        harness = harness(RecordingAnalysis.standard(Duration.ofSeconds(30)), GatherWindow.NONE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Inbound, PostgresWrite> harness(RecordingAnalysis analysis,
                                                                                                GatherWindow gatherWindow) throws Exception {
        RecordingCoordinator coordinator = new RecordingCoordinator(analysis, CatalogLookup.none(), Duration.ofDays(1),
                Duration.ofSeconds(10), Duration.ofSeconds(60), gatherWindow);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(coordinator), Inbound::sha256, Types.STRING);
        h.open();
        h.setProcessingTime(1_000);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aRequestBeforeItsAssetWaitsAndLeavesNoTimerOnceTheAssetArrives() throws Exception {
        UUID job = UUID.randomUUID();
        harness.processElement(new StreamRecord<>(Inbound.of(request(job))));
        assertThat(results()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(5_000);
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));

        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(results()).extracting(ResultRow::analyzer).as("what was asked, plus the fingerprint for the index")
                .containsExactlyInAnyOrder("pitch", "fingerprint");
        assertThat(jobStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.SUCCEEDED);
        List<PostgresWrite> writes = harness.extractOutputValues();
        assertThat(writes.get(writes.size() - 1).job()).as("the job finishes after its result rows, on the same stream")
                .satisfies(t -> assertThat(t.status()).isEqualTo(JobStatus.SUCCEEDED));
        assertThat(writes.subList(0, writes.size() - 1)).anyMatch(w -> w.result() != null);
        assertThat(harness.getSideOutput(RecordingCoordinator.SEARCH_UPDATES)).extracting(r -> r.getValue().summariesJson())
                .last().asString().contains("median_hz");

        harness.processElement(new StreamRecord<>(Inbound.of(request(job))));
        assertThat(jobStatuses()).as("a redelivered request is answered once").hasSize(2);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID()))));
        assertThat(jobStatuses()).as("a new request is answered from state").endsWith(JobStatus.SUCCEEDED).hasSize(3);
        assertThat(results()).as("no new analysis").hasSize(2);
    }

    @Test
    void requestsArrivingWithinTheGatherWindowShareOneDecode() throws Exception {
        harness.close();
        DECODES.set(0);
        harness = harness(new CountingDecodes(RecordingAnalysis.standard(Duration.ofSeconds(30))), GatherWindow.fixed(Duration.ofMillis(500)));
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "pitch"))));
        harness.setProcessingTime(1_200);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "loudness-ebur128"))));
        assertThat(jobStatuses()).as("nothing runs inside the window").isEmpty();

        harness.setProcessingTime(1_500);
        assertThat(jobStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.SUCCEEDED);
        assertThat(DECODES.get()).as("one decode for both requests").isEqualTo(1);
        assertThat(results()).extracting(ResultRow::analyzer).contains("pitch", "loudness-ebur128");
        assertThat(harness.numProcessingTimeTimers()).as("the later request's timer is gone too").isZero();

        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "pitch"))));
        assertThat(jobStatuses()).as("a request whose results exist is answered at once").hasSize(5);
        assertThat(DECODES.get()).isEqualTo(1);
    }

    @Test
    void theProbeARequestCarriesSparesTheDecodeItsOwnProbe() throws Exception {
        harness.close();
        DECODES.set(0);
        PROBES_CARRIED.clear();
        harness = harness(new CountingDecodes(RecordingAnalysis.standard(Duration.ofSeconds(30))), GatherWindow.fixed(Duration.ofMillis(500)));
        AudioInfo probed = io.tonearm.analysis.decode.Decoders.standard().probe(wav);
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "pitch")))); // made before a probe settled
        AnalysisRequested withProbe = request(UUID.randomUUID(), "loudness-ebur128");
        harness.processElement(new StreamRecord<>(Inbound.of(new AnalysisRequested(withProbe.version(), withProbe.requestId(),
                withProbe.accountId(), withProbe.assetId(), SHA, withProbe.analyzers(), withProbe.requestedAt(),
                ProbeOutcome.carried(probed)))));
        harness.setProcessingTime(1_500);

        assertThat(jobStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.SUCCEEDED);
        assertThat(DECODES.get()).isEqualTo(1);
        assertThat(PROBES_CARRIED).as("the batch's one decode used the carried probe").containsExactly(java.util.Optional.of(probed));

        String other = "c".repeat(64);
        harness.processElement(new StreamRecord<>(Inbound.of(asset(other))));
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), other, "pitch"))));
        harness.setProcessingTime(2_100);
        assertThat(PROBES_CARRIED).as("no request carried one: the decode probes").endsWith(java.util.Optional.empty());
        assertThat(jobStatuses()).endsWith(JobStatus.SUCCEEDED);
    }

    @Test
    void aPauseInARecordingsRequestsEndsTheGatheringBeforeItsLongest() throws Exception {
        harness.close();
        DECODES.set(0);
        harness = harness(new CountingDecodes(RecordingAnalysis.standard(Duration.ofSeconds(30))),
                new GatherWindow(Duration.ofMillis(250), Duration.ofMillis(500)));
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "pitch")))); // at 1000
        harness.setProcessingTime(1_100);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), "loudness-ebur128"))));
        harness.setProcessingTime(1_250);
        assertThat(jobStatuses()).as("the second request came 150 ms ago: still gathering").isEmpty();
        harness.setProcessingTime(1_350);
        assertThat(jobStatuses()).as("250 ms without a request").containsExactly(JobStatus.RUNNING, JobStatus.RUNNING,
                JobStatus.SUCCEEDED, JobStatus.SUCCEEDED);
        assertThat(DECODES.get()).isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // a steady trickle cannot hold a request longer than the longest wait
        String other = "c".repeat(64);
        harness.processElement(new StreamRecord<>(Inbound.of(asset(other))));
        harness.setProcessingTime(2_000);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), other, "pitch"))));
        harness.setProcessingTime(2_200);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), other, "loudness-ebur128"))));
        harness.setProcessingTime(2_400);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), other, "bpm"))));
        assertThat(jobStatuses()).as("never 250 ms without a request").hasSize(4);
        harness.setProcessingTime(2_500);
        assertThat(jobStatuses()).as("500 ms after the first: the three that came by then run together").hasSize(4 + 6);
        assertThat(DECODES.get()).isEqualTo(2);
        harness.setProcessingTime(2_600);
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), other, "key"))));
        harness.setProcessingTime(2_849);
        assertThat(jobStatuses()).hasSize(4 + 6);
        harness.setProcessingTime(2_850);
        assertThat(jobStatuses()).as("the one after the longest wait started its own").hasSize(4 + 6 + 2);
        assertThat(DECODES.get()).isEqualTo(3);
    }

    private static final java.util.concurrent.atomic.AtomicInteger DECODES = new java.util.concurrent.atomic.AtomicInteger();
    /** What each decode was handed: the probe a request carried, or empty (the decode probed). */
    private static final List<java.util.Optional<AudioInfo>> PROBES_CARRIED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Counts decodes (one {@code analyze} call is one decode). */
    private record CountingDecodes(RecordingAnalysis delegate) implements RecordingAnalysis {
        @Override
        public io.tonearm.analysis.registry.AnalyzerRegistry registry() {
            return delegate.registry();
        }

        @Override
        public io.tonearm.analysis.run.AnalysisReport analyze(Path file, String sha256, AudioInfo probed,
                                                             List<io.tonearm.analysis.registry.Selection> selections) {
            DECODES.incrementAndGet();
            PROBES_CARRIED.add(java.util.Optional.ofNullable(probed));
            return delegate.analyze(file, sha256, probed, selections);
        }
    }

    @Test
    void anOptionalAnalyzerWhoseModelIsMissingIsReportedWhileTheJobSucceedsWithTheOthers() throws Exception {
        harness.close();
        String models = dir.resolve("models-without-silero").toString(); // the models directory holds no silero-vad
        harness = harness(RecordingAnalysis.of(() -> StandardAnalyzers.registry(new ModelStore(Path.of(models))),
                Duration.ofSeconds(30)), GatherWindow.NONE);
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));
        UUID upload = UUID.randomUUID();
        harness.processElement(new StreamRecord<>(Inbound.of(request(upload, required("pitch"), required("loudness-ebur128"),
                new AnalysisRequested.AnalyzerRequest("vocal-activity", null, Map.of(), true)))));

        JobTransition done = jobTransitions().get(jobTransitions().size() - 1);
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.error()).isNull();
        com.fasterxml.jackson.databind.JsonNode refs = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(done.resultJson()).get("results");
        assertThat(refs.at("/pitch/status").asText()).isEqualTo("succeeded");
        assertThat(refs.at("/loudness-ebur128/status").asText()).isEqualTo("succeeded");
        assertThat(refs.at("/vocal-activity/status").asText()).isEqualTo("failed");
        assertThat(refs.at("/vocal-activity/error").asText()).contains(Path.of(models, "silero-vad", "silero_vad.onnx").toString())
                .contains("is missing");
        assertThat(results()).as("a missing model is the installation's failure, not stored as the recording's result")
                .noneMatch(r -> r.analyzer().equals("vocal-activity"));

        // the same analyzer required: the job fails, naming it
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), required("pitch"), required("vocal-activity")))));
        JobTransition failed = jobTransitions().get(jobTransitions().size() - 1);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("vocal-activity").contains("silero_vad.onnx");
        // optional alone and failed: nothing succeeded, so the job fails too
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(),
                new AnalysisRequested.AnalyzerRequest("vocal-activity", null, Map.of(), true)))));
        assertThat(jobTransitions().get(jobTransitions().size() - 1).status()).isEqualTo(JobStatus.FAILED);

        // the operator installs the model: the next request computes it (not answered from a remembered failure)
        String shared = System.getProperty("tonearm.shared.dir");
        Path silero = shared == null ? null : Path.of(shared, "models", "silero-vad", "silero_vad.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(silero != null && java.nio.file.Files.isRegularFile(silero),
                "the rest needs ../shared/models/silero-vad");
        java.nio.file.Files.createDirectories(Path.of(models, "silero-vad"));
        java.nio.file.Files.copy(silero, Path.of(models, "silero-vad", "silero_vad.onnx"));
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), required("pitch"), required("vocal-activity")))));
        assertThat(jobTransitions().get(jobTransitions().size() - 1).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(results()).filteredOn(r -> r.analyzer().equals("vocal-activity")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.SUCCEEDED));
    }

    private static AnalysisRequested.AnalyzerRequest required(String analyzer) {
        return new AnalysisRequested.AnalyzerRequest(analyzer, null, Map.of());
    }

    @Test
    void aRequestWithAHeavyAnalyzerGetsItsLightResultsHereAndIsHandedOverWithTheHeavyWork() throws Exception {
        harness.close();
        RecordingAnalysis analysis = RecordingAnalysis.of(io.tonearm.pipeline.analysis.TestAnalyzers::registry,
                new io.tonearm.pipeline.analysis.heavy.TimeBudgets(Duration.ofSeconds(30), 3.0, Duration.ofMinutes(1),
                        Duration.ofMinutes(1), java.util.Set.of(io.tonearm.pipeline.analysis.TestAnalyzers.Gated.NAME)), dir.toString());
        harness = harness(analysis, GatherWindow.NONE);
        harness.processElement(new StreamRecord<>(Inbound.of(asset())));
        AnalysisRequested mixed = new AnalysisRequested(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("pitch", null, Map.of()),
                        new AnalysisRequested.AnalyzerRequest("test-gated", null, Map.of())), Instant.now());
        harness.processElement(new StreamRecord<>(Inbound.of(mixed)));

        assertThat(jobStatuses()).as("running; its end comes after the heavy result").containsExactly(JobStatus.RUNNING);
        assertThat(results()).extracting(ResultRow::analyzer).containsExactlyInAnyOrder("pitch", "fingerprint");
        assertThat(harness.getSideOutput(RecordingCoordinator.COMPLETIONS)).isNullOrEmpty();
        List<HeavyWork> works = harness.getSideOutput(RecordingCoordinator.HEAVY_WORK).stream().map(StreamRecord::getValue).toList();
        assertThat(works).singleElement().satisfies(w -> {
            assertThat(w.analyzer()).isEqualTo("test-gated");
            assertThat(w.blobLocation()).isEqualTo(wav.toUri().toString());
            AwaitingJob job = AwaitingJob.listFromJson(w.jobsJson()).get(0);
            assertThat(job.requestId()).isEqualTo(mixed.requestId().toString());
            assertThat(job.results().get("pitch").status()).isEqualTo("succeeded");
            assertThat(job.results().get("test-gated").status()).isEqualTo(AwaitingJob.PENDING);
            assertThat(job.rows()).extracting(ResultRow::analyzer).as("its light rows travel with it").containsExactly("pitch");
        });

        harness.processElement(new StreamRecord<>(Inbound.of(mixed)));
        assertThat(harness.getSideOutput(RecordingCoordinator.HEAVY_WORK)).as("a redelivered request is handed over once").hasSize(1);
        assertThat(jobStatuses()).hasSize(1);
    }

    @Test
    void aHeavyOnlyRequestOnAnUndecodableRecordingFailsHereAndIsRememberedWithoutHandingWorkOver() throws Exception {
        harness.close();
        DECODES.set(0);
        RecordingAnalysis analysis = new CountingDecodes(RecordingAnalysis.of(io.tonearm.pipeline.analysis.TestAnalyzers::registry,
                new io.tonearm.pipeline.analysis.heavy.TimeBudgets(Duration.ofSeconds(30), 3.0, Duration.ofMinutes(1),
                        Duration.ofMinutes(1), java.util.Set.of(io.tonearm.pipeline.analysis.TestAnalyzers.Gated.NAME)), dir.toString()));
        harness = harness(analysis, GatherWindow.NONE);
        Path junk = dir.resolve("junk.wav");
        byte[] bytes = new byte[50_000];
        new java.util.Random(3).nextBytes(bytes);
        java.nio.file.Files.write(junk, bytes);
        String sha = "d".repeat(64);
        harness.processElement(new StreamRecord<>(Inbound.of(new AssetEvent(1, UUID.randomUUID(), AssetEvent.Type.CREATED,
                UUID.randomUUID(), UUID.randomUUID(), sha, junk.toUri().toString(), "junk.wav", "audio/wav", bytes.length, Instant.now()))));
        // the recording's first analysis decodes it here for the fingerprint, even when only heavy results are asked
        for (int i = 0; i < 2; i++) {
            harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID(), sha, "test-gated"))));
        }
        assertThat(jobStatuses()).containsExactly(JobStatus.RUNNING, JobStatus.FAILED, JobStatus.FAILED);
        assertThat(jobTransitions()).allSatisfy(t -> {
            if (t.status() == JobStatus.FAILED) assertThat(t.error()).startsWith("undecodable recording");
        });
        assertThat(harness.getSideOutput(RecordingCoordinator.HEAVY_WORK)).as("no heavy run for bytes that do not decode").isNullOrEmpty();
        assertThat(DECODES.get()).as("the second request is answered from state").isEqualTo(1);
    }

    @Test
    void aRequestWhoseBlobNeverAppearsFailsAtTheDeadlineAndDrainsItsTimers() throws Exception {
        harness.processElement(new StreamRecord<>(Inbound.of(request(UUID.randomUUID()))));
        for (long t = 11_000; t <= 71_000; t += 10_000) harness.setProcessingTime(t);
        assertThat(jobStatuses()).containsExactly(JobStatus.FAILED);
        assertThat(jobTransitions().get(0).error()).contains("no blob is known");
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.getSideOutput(RecordingCoordinator.COMPLETIONS)).hasSize(1);
    }

    @Test
    void aDeletedAssetLosesItsSearchDocumentAndARecordingNothingReferencesLeavesNoState() throws Exception {
        AssetEvent created = asset();
        harness.processElement(new StreamRecord<>(Inbound.of(created)));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processElement(new StreamRecord<>(Inbound.of(new AssetEvent(1, UUID.randomUUID(), AssetEvent.Type.DELETED,
                created.accountId(), created.assetId(), SHA, null, null, null, 0, Instant.now()))));

        List<SearchUpdate> updates = harness.getSideOutput(RecordingCoordinator.SEARCH_UPDATES).stream().map(StreamRecord::getValue).toList();
        assertThat(updates).extracting(SearchUpdate::deleted).containsExactly(false, true);
        assertThat(harness.numKeyedStateEntries()).as("no results, no assets: nothing kept").isZero();
    }

    @Test
    void garbageNeverEscapesTheFunction() throws Exception {
        harness.processElement(new StreamRecord<>(new Inbound(Inbound.Kind.REQUEST, SHA, "{\"version\": 1}")));
        harness.processElement(new StreamRecord<>(new Inbound(Inbound.Kind.ASSET, SHA, "not json")));
        assertThat(results()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private List<JobStatus> jobStatuses() {
        return jobTransitions().stream().map(JobTransition::status).toList();
    }

    private List<JobTransition> jobTransitions() {
        return harness.extractOutputValues().stream().map(PostgresWrite::job).filter(java.util.Objects::nonNull).toList();
    }

    private List<ResultRow> results() {
        return harness.extractOutputValues().stream().map(PostgresWrite::result).filter(java.util.Objects::nonNull).toList();
    }

    private AnalysisRequested request(UUID id) {
        return request(id, "pitch");
    }

    private AnalysisRequested request(UUID id, String analyzer) {
        return request(id, required(analyzer));
    }

    private AnalysisRequested request(UUID id, AnalysisRequested.AnalyzerRequest... analyzers) {
        return new AnalysisRequested(1, id, UUID.randomUUID(), UUID.randomUUID(), SHA, List.of(analyzers), Instant.now());
    }

    private AssetEvent asset() {
        return asset(SHA);
    }

    private AssetEvent asset(String sha) {
        return new AssetEvent(1, UUID.randomUUID(), AssetEvent.Type.CREATED, UUID.randomUUID(), UUID.randomUUID(), sha,
                wav.toUri().toString(), "tone.wav", "audio/wav", 44_144, Instant.now());
    }

    private AnalysisRequested request(UUID id, String sha, String analyzer) {
        return new AnalysisRequested(1, id, UUID.randomUUID(), UUID.randomUUID(), sha, List.of(required(analyzer)), Instant.now());
    }

}
