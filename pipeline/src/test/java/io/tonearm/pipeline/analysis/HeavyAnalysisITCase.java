package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.pipeline.analysis.TestAnalyzers.Gated;
import io.tonearm.pipeline.analysis.heavy.TimeBudgets;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Heavy analyzers through the real analysis job: stems and mastered audio land in the blob store, the result
 * envelopes reference them, the jobs trigger records them as the job's outputs (with blob rows for the reaper), and
 * a result whose output files were reaped is computed again when asked for. Heavy analyses run beside the
 * coordinator (Async I/O): while one runs, light requests of other recordings complete and checkpoints complete,
 * even with parallelism 1, and a failover during the run ends the job once with its outputs.
 */
class HeavyAnalysisITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path blobs;
    static PipelineFixture f;
    static FileSystemBlobStore store;

    @BeforeAll
    static void start() throws Exception {
        f = new PipelineFixture(blobs);
        store = new FileSystemBlobStore(blobs);
        CountingAnalysis.reset();
        // the shipped heavy analyzers and the test's gated one, with a budget longer than the test holds the gate
        TimeBudgets budgets = new TimeBudgets(Duration.ofMinutes(2), TimeBudgets.DEFAULT_PER_AUDIO_SECOND, Duration.ofMinutes(5),
                Duration.ofMinutes(5), union(TimeBudgets.HEAVY, Set.of(Gated.NAME)));
        f.start(new CountingAnalysis(RecordingAnalysis.of(TestAnalyzers::registry, budgets, blobs.toString())), Duration.ofMillis(500), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        Gated.open();
        f.close();
    }

    @Test
    void whileAHeavyAnalysisRunsLightRequestsAndCheckpointsCompleteAndAFailoverEndsItsJobOnce() throws Exception {
        Gated.close();
        Asset slow = f.asset(f.account(), f.sine("held", 550, 2.0, 0.4));
        f.publishAsset(slow);
        UUID mixed = f.request(slow, "test-rms:1", Gated.NAME);
        await("the heavy analysis at its gate", WAIT, () -> Gated.WAITING.get() == 1);
        await("the light part stored", WAIT, () -> f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? "
                + "AND analyzer = 'test-rms'", slow.sha256()) == 1);

        // parallelism 1: one coordinator subtask, busy only while it decodes, not while the heavy analysis runs
        Asset other = f.asset(f.account(), f.sine("other", 660, 1.0, 0.4));
        Asset third = f.asset(f.account(), f.sine("third", 770, 1.0, 0.4));
        f.publishAsset(other);
        f.publishAsset(third);
        UUID light1 = f.request(other, "test-peak");
        UUID light2 = f.request(third, "test-rms:1", "pitch");
        await("light requests of other recordings", WAIT,
                () -> "succeeded".equals(f.jobStatus(light1)) && "succeeded".equals(f.jobStatus(light2)));
        // completion events are committed when a checkpoint completes: this one began after the heavy work left
        await("a checkpoint completed while the heavy analysis runs (their completion events committed)", WAIT,
                () -> f.completions().stream().filter(c -> c.requestId().equals(light1) || c.requestId().equals(light2)).count() == 2);
        assertThat(f.jobStatus(mixed)).as("the mixed job waits for its heavy part").isEqualTo("running");

        // A task failure now (an Error from the next analysis) restores that checkpoint, with the heavy work in flight.
        CountingAnalysis.FAIL_AFTER.set(CountingAnalysis.RUNS.size());
        Asset crash = f.asset(f.account(), f.sine("crash", 880, 1.0, 0.4));
        f.publishAsset(crash);
        UUID afterCrash = f.request(crash, "test-peak");
        await("the heavy analysis started again after the restore", WAIT, () -> Gated.WAITING.get() == 2);
        assertThat(CountingAnalysis.FAILED).isTrue();
        await("the request that crashed the task, replayed", WAIT, () -> "succeeded".equals(f.jobStatus(afterCrash)));
        assertThat(f.jobStatus(mixed)).isEqualTo("running");

        Gated.open();
        await("the mixed job", WAIT, () -> "succeeded".equals(f.jobStatus(mixed)));
        JsonNode result = JSON.readTree(f.scalar("SELECT result::text FROM jobs WHERE id = ?", mixed));
        assertThat(result.path("results").path("test-rms").path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("results").path(Gated.NAME).path("status").asText()).isEqualTo("succeeded");
        String output = envelope(slow.sha256(), Gated.NAME).path("results").path("output").path("sha256").asText();
        assertThat(store.exists(output)).as("its output is stored").isTrue();
        assertThat(f.scalar("SELECT sha256 FROM job_outputs WHERE job_id = ? AND name = 'gated.txt'", mixed)).isEqualTo(output);
        await("completion events committed", WAIT, () -> f.completions().stream().anyMatch(c -> c.requestId().equals(mixed)));
        assertThat(f.completions()).filteredOn(c -> c.requestId().equals(mixed)).as("the job ended once")
                .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("succeeded"));
        assertThat(f.job().getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void twoStemsAreStoredInTheBlobStoreDecodeAndSumBackToTheMix() throws Exception {
        Asset a = f.asset(f.account(), mix("mix", 3.0));
        f.publishAsset(a);
        UUID job = request(a, "separate-2stem", Map.of());
        await("the separation job", WAIT, () -> "succeeded".equals(f.jobStatus(job)));

        JsonNode stems = envelope(a.sha256(), "separate-2stem").path("results").path("stems");
        assertThat(stems.fieldNames()).toIterable().containsExactly("vocals", "instrumental");
        float[] vocals = decode(store.localFile(stems.path("vocals").path("sha256").asText()));
        float[] instrumental = decode(store.localFile(stems.path("instrumental").path("sha256").asText()));
        float[] mix = decode(a.file());
        assertThat(vocals).hasSameSizeAs(mix);
        assertThat(instrumental).hasSameSizeAs(mix);
        double worst = 0, energy = 0;
        for (int i = 0; i < mix.length; i++) {
            worst = Math.max(worst, Math.abs(vocals[i] + instrumental[i] - mix[i]));
            energy += vocals[i] * vocals[i];
        }
        assertThat(worst).as("stems sum back to the mix").isLessThan(1e-4);
        assertThat(energy).as("the vocal stem is not silent").isGreaterThan(1.0);
        assertThat(stems.path("vocals").path("media_type").asText()).isEqualTo("audio/wav");
        assertThat(stems.path("vocals").path("size_bytes").asLong())
                .isEqualTo(Files.size(store.localFile(stems.path("vocals").path("sha256").asText())));

        // the trigger recorded both as the job's outputs, each with a blob row the API's reaper knows
        assertThat(f.count("SELECT count(*) FROM job_outputs WHERE job_id = ?", job)).isEqualTo(2);
        assertThat(f.count("SELECT count(*) FROM job_outputs o JOIN blobs b USING (sha256) WHERE o.job_id = ?", job)).isEqualTo(2);
        assertThat(f.scalar("SELECT string_agg(name, ',' ORDER BY name) FROM job_outputs WHERE job_id = ?", job))
                .isEqualTo("instrumental.wav,vocals.wav");

        // reaped output files: the next request computes them again instead of answering with dangling references
        String vocalsSha = stems.path("vocals").path("sha256").asText();
        store.delete(vocalsSha);
        UUID again = request(a, "separate-2stem", Map.of());
        await("the repeated separation job", WAIT, () -> "succeeded".equals(f.jobStatus(again)));
        assertThat(store.exists(vocalsSha)).as("the stem is stored again, under the same hash").isTrue();
        assertThat(f.count("SELECT count(*) FROM job_outputs WHERE job_id = ?", again)).isEqualTo(2);
    }

    @Test
    void masteringReachesTheTargetLoudnessWithinHalfALoudnessUnit() throws Exception {
        Asset a = f.asset(f.account(), mix("quiet", 4.0));
        f.publishAsset(a);
        UUID job = request(a, "master", Map.of("target_lufs", -14.0, "ceiling_dbtp", -1.0));
        await("the mastering job", WAIT, () -> "succeeded".equals(f.jobStatus(job)));

        JsonNode result = envelope(a.sha256(), "master").path("results");
        assertThat(result.path("before").path("integrated_lufs").asDouble()).isLessThan(-20);
        Path output = store.localFile(result.path("output").path("sha256").asText());
        AnalysisReport measured = new AnalysisRunner(Decoders.standard(), Duration.ofSeconds(30))
                .analyze(output, List.of(StandardAnalyzers.registry().select("loudness-ebur128", Map.of())));
        assertThat(measured.ok()).as(String.valueOf(measured.failures())).isTrue();
        JsonNode after = io.tonearm.analysis.Json.mapper().valueToTree(measured.results().values().iterator().next().results());
        assertThat(after.path("integrated_lufs").asDouble()).isCloseTo(-14.0, within(0.5));
        assertThat(after.path("true_peak_dbtp").asDouble()).isLessThanOrEqualTo(-1.0 + 0.2);
        assertThat(f.scalar("SELECT media_type FROM job_outputs WHERE job_id = ? AND name = 'master.wav'", job))
                .isEqualTo("audio/wav");
    }

    @Test
    void masteringTowardAReferenceNamedBySha256ReadsItsBlobAndKeysTheResultByIt() throws Exception {
        UUID account = f.account();
        Asset a = f.asset(account, mix("dull", 4.0));
        Asset bright = f.asset(account, mix("bright", 4.0, 0.05));
        f.publishAsset(a);
        UUID job = request(a, "master", Map.of("reference_sha256", bright.sha256()));
        await("the mastering job with a reference", WAIT, () -> "succeeded".equals(f.jobStatus(job)));

        JsonNode envelope = envelope(a.sha256(), "master");
        JsonNode tonal = envelope.path("results").path("tonal_balance");
        assertThat(tonal.path("reference").asText()).isEqualTo(bright.sha256());
        assertThat(tonal.path("distance_after_db").asDouble()).isLessThan(tonal.path("distance_before_db").asDouble() / 2);
        // the reference is part of the stored identity; where its bytes live on this machine is not
        assertThat(f.scalar("SELECT params->>'reference_sha256' FROM analysis_results WHERE sha256 = ? AND analyzer = 'master' "
                + "AND params->>'reference_sha256' IS NOT NULL", a.sha256())).isEqualTo(bright.sha256());
        assertThat(envelope.toString()).doesNotContain("reference_path").doesNotContain("bright.wav");

        UUID unknown = request(a, "master", Map.of("reference_sha256", "0".repeat(64)));
        await("the mastering job with an unknown reference", WAIT, () -> "failed".equals(f.jobStatus(unknown)));
        assertThat(f.scalar("SELECT error FROM jobs WHERE id = ?", unknown)).contains("not in this catalog");
    }

    /** A job row and its request with parameters, as the API publishes it. */
    private static UUID request(Asset a, String analyzer, Map<String, Object> params) throws Exception {
        UUID jobId = UUID.randomUUID();
        try (var c = f.db.dataSource().getConnection(); var ps = c.prepareStatement(
                "INSERT INTO jobs (id, account_id, asset_id, kind, status) VALUES (?, ?, ?, 'analysis', 'queued')")) {
            ps.setObject(1, jobId);
            ps.setObject(2, a.account());
            ps.setObject(3, a.id());
            ps.executeUpdate();
        }
        f.publish(new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, jobId, a.account(), a.id(), a.sha256(),
                List.of(new AnalysisRequested.AnalyzerRequest(analyzer, null, params)), Instant.now()));
        return jobId;
    }

    private static JsonNode envelope(String sha256, String analyzer) throws Exception {
        String json = f.scalar("SELECT envelope::text FROM analysis_results WHERE sha256 = ? AND analyzer = ? "
                + "AND status = 'succeeded' ORDER BY computed_at DESC LIMIT 1", sha256, analyzer);
        assertThat(json).as("stored " + analyzer + " result").isNotNull();
        return JSON.readTree(json);
    }

    /** Every decoded sample, interleaved, through the project's decoder (so "it decodes" is checked too). */
    static float[] decode(Path file) throws Exception {
        Decoder decoder = Decoders.standard();
        AudioInfo info = decoder.probe(file);
        float[] all = new float[0];
        int used = 0;
        try (PcmStream pcm = decoder.open(file, info, Duration.ofSeconds(30))) {
            float[] buf = new float[4096 * info.channels()];
            for (int n; (n = pcm.read(buf, 4096)) >= 0; ) {
                if (used + n * info.channels() > all.length) all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, used + n * info.channels()));
                System.arraycopy(buf, 0, all, used, n * info.channels());
                used += n * info.channels();
            }
        }
        return java.util.Arrays.copyOf(all, used);
    }

    /** Stereo 44.1 kHz 16-bit: a panned "voice" (vibrato tone) over a quiet noise-and-bass bed, about -23 LUFS. */
    private static Path mix(String name, double seconds) throws Exception {
        return mix(name, seconds, 0.01);
    }

    /** The same with {@code noise} as the level of the bed's noise (more noise: a brighter mix). */
    private static Path mix(String name, double seconds, double noiseLevel) throws Exception {
        int rate = 44100, n = (int) (seconds * rate);
        Random noise = new Random(name.hashCode());
        byte[] pcm = new byte[n * 4];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double voice = 0.05 * Math.sin(2 * Math.PI * (330 * t + 3 * Math.sin(2 * Math.PI * 5 * t)));
            double bed = 0.03 * Math.sin(2 * Math.PI * 55 * t) + noiseLevel * noise.nextGaussian();
            double[] ch = {voice + bed, voice + 0.6 * bed};
            for (int c = 0; c < 2; c++) {
                short s = (short) Math.round(Math.max(-1, Math.min(1, ch[c])) * 32767);
                pcm[4 * i + 2 * c] = (byte) s;
                pcm[4 * i + 2 * c + 1] = (byte) (s >> 8);
            }
        }
        Path file = blobs.resolve(name + ".wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), new AudioFormat(rate, 16, 2, true, false), n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
