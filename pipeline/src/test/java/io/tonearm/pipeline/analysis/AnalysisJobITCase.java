package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.events.AnalysisCompleted;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.pipeline.analysis.output.SearchUpdate;
import io.tonearm.sinks.postgres.fingerprint.FingerprintRepository;
import io.tonearm.sinks.postgres.fingerprint.LandmarkIndexing;
import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The analysis job end to end on a MiniCluster against the real Kafka broker and PostgreSQL: one job for the
 * class, each test on its own recordings.
 */
class AnalysisJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path blobs;
    static PipelineFixture f;

    @BeforeAll
    static void start() throws Exception {
        CountingAnalysis.reset();
        f = new PipelineFixture(blobs);
        f.start(new CountingAnalysis(), Duration.ofMillis(500), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void everyAnalyzedRecordingIsFingerprintedAndIndexedOnce() throws Exception {
        UUID account = f.account();
        Path file = Degradations.wav(CatalogSynth.track(77, 12), blobs);
        Asset a = f.asset(account, file);
        f.publishAsset(a);
        UUID job = f.request(a, "test-peak");
        await("job succeeded", WAIT, () -> "succeeded".equals(f.jobStatus(job)));
        long landmarks = f.count("SELECT landmark_count FROM fingerprint_recordings WHERE sha256 = ?", a.sha256());
        assertThat(landmarks).as("landmarks of a 12 s track").isGreaterThan(300);
        assertThat(storedLandmarks(a.sha256())).isEqualTo(landmarks);
        // the result row keeps the counts; the landmarks themselves live in the index only
        String envelope = f.scalar("SELECT envelope::text FROM analysis_results WHERE sha256 = ? AND analyzer = 'fingerprint'", a.sha256());
        assertThat(JSON.readTree(envelope).path("results").path("hash_count").asLong()).isEqualTo(landmarks);
        assertThat(JSON.readTree(envelope).path("results").has("landmarks")).isFalse();

        // another analysis of the same recording (another decode) does not fingerprint or index it again
        UUID again = f.request(a, "test-rms:1");
        await("second job succeeded", WAIT, () -> "succeeded".equals(f.jobStatus(again)));
        assertThat(CountingAnalysis.runsOf(a.sha256(), "fingerprint@" + LandmarkFormat.CURRENT.analyzerVersion())).isEqualTo(1);
        assertThat(storedLandmarks(a.sha256())).isEqualTo(landmarks);
    }

    /** A recording an earlier version indexed in landmark format v1 moves to the current format with its next analysis. */
    @Test
    void aRecordingIndexedInVersionOneIsReindexedInTheCurrentFormatByItsNextAnalysis() throws Exception {
        UUID account = f.account();
        Path file = Degradations.wav(CatalogSynth.track(78, 12), blobs);
        Asset a = f.asset(account, file);
        RecordingLandmarks v1 = RecordingLandmarks.of(a.sha256(), Degradations.fingerprint(LandmarkFormat.V1, file, Map.of()));
        f.db.inTransaction(c -> LandmarkIndexing.index(c, v1, NearDuplicate.STANDARD));
        f.publishAsset(a);
        UUID job = f.request(a, "test-peak");
        await("job succeeded", WAIT, () -> "succeeded".equals(f.jobStatus(job)));
        assertThat(f.scalar("SELECT format FROM fingerprint_recordings WHERE sha256 = ?", a.sha256())).isEqualTo(LandmarkFormat.CURRENT.id());
        Landmarks stored = f.db.withConnection(c -> FingerprintRepository.landmarks(c, a.sha256())).orElseThrow();
        assertThat(LandmarkFormat.of(stored)).isEqualTo(LandmarkFormat.CURRENT);
        assertThat(f.count("SELECT count(*) FROM fingerprint_recordings WHERE sha256 = ?", a.sha256())).isEqualTo(1);
    }

    /** The landmarks the index holds for a recording, decoded from its packed row. */
    private long storedLandmarks(String sha256) {
        return f.db.withConnection(c -> FingerprintRepository.landmarks(c, sha256)).orElseThrow().count();
    }

    @Test
    void aRequestEndsWithResultRowsASucceededJobACompletionEventAndASearchUpdate() throws Exception {
        UUID account = f.account();
        Asset a = f.asset(account, f.sine("a440", 440, 2.0, 0.5));
        f.publishAsset(a);
        UUID job = f.request(a, "pitch", "test-rms:1", "test-peak");

        await("job succeeded", WAIT, () -> "succeeded".equals(f.jobStatus(job)));

        assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? AND status = 'succeeded' AND analyzer <> 'fingerprint'", a.sha256())).isEqualTo(3);
        JsonNode pitch = JSON.readTree(f.scalar("SELECT envelope::text FROM analysis_results WHERE sha256 = ? AND analyzer = 'pitch'", a.sha256()));
        assertThat(pitch.path("model_name").asText()).isEqualTo("pitch");
        assertThat(pitch.path("results").path("median_hz").asDouble()).isCloseTo(440.0, within(2.0));
        JsonNode rms = JSON.readTree(f.scalar("SELECT envelope::text FROM analysis_results WHERE sha256 = ? AND analyzer = 'test-rms'", a.sha256()));
        assertThat(rms.path("results").path("rms").asDouble()).isCloseTo(0.5 / Math.sqrt(2), within(0.01));

        JsonNode result = JSON.readTree(f.scalar("SELECT result::text FROM jobs WHERE id = ?", job));
        assertThat(result.path("results").path("pitch").path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("results").path("test-rms").path("version").asInt()).isEqualTo(1);
        assertThat(f.scalar("SELECT requested_analyzers::text FROM jobs WHERE id = ?", job)).contains("test-peak");
        assertThat(f.scalar("SELECT started_at IS NOT NULL AND finished_at IS NOT NULL FROM jobs WHERE id = ?", job)).isEqualTo("t");

        await("completion event", WAIT, () -> f.completions().stream().anyMatch(c -> c.requestId().equals(job)));
        AnalysisCompleted done = f.completions().stream().filter(c -> c.requestId().equals(job)).findFirst().orElseThrow();
        assertThat(done.status()).isEqualTo("succeeded");
        assertThat(done.results()).containsKeys("pitch", "test-rms", "test-peak");

        await("search update with results", WAIT, () -> latestSearch(a.id()) != null && latestSearch(a.id()).summariesJson().contains("test-rms"));
        JsonNode summaries = JSON.readTree(latestSearch(a.id()).summariesJson());
        assertThat(summaries.path("test-rms").path("rms").asDouble()).isCloseTo(0.354, within(0.01));
        assertThat(summaries.path("pitch").path("median_hz").asDouble()).isCloseTo(440.0, within(2.0));
        assertThat(latestSearch(a.id()).accountId()).isEqualTo(account.toString());
        assertThat(latestSearch(a.id()).durationSeconds()).isCloseTo(2.0, within(0.05));
    }

    @Test
    void theSameBytesFromAnotherAccountAreAnsweredFromStateAndAVersionBumpRecomputesOnlyThatAnalyzer() throws Exception {
        Path file = f.sine("a330", 330, 1.0, 0.25);
        Asset first = f.asset(f.account(), file);
        f.publishAsset(first);
        UUID job1 = f.request(first, "test-rms:1", "test-peak");
        await("first job", WAIT, () -> "succeeded".equals(f.jobStatus(job1)));

        Asset second = f.asset(f.account(), file);
        f.publishAsset(second);
        UUID job2 = f.request(second, "test-rms:1", "test-peak");
        UUID job3 = f.request(first, "test-peak", "test-rms:1");
        await("second account's job", WAIT, () -> "succeeded".equals(f.jobStatus(job2)) && "succeeded".equals(f.jobStatus(job3)));
        assertThat(CountingAnalysis.runsBySha256().get(first.sha256())).as("analyses of the recording").isEqualTo(1);
        assertThat(f.scalar("SELECT started_at IS NULL FROM jobs WHERE id = ?", job2)).as("never ran").isEqualTo("t");
        await("search update for the second asset", WAIT, () -> latestSearch(second.id()) != null
                && latestSearch(second.id()).summariesJson().contains("test-peak"));

        UUID job4 = f.request(second, "test-rms:2", "test-peak");
        await("bumped job", WAIT, () -> "succeeded".equals(f.jobStatus(job4)));
        assertThat(CountingAnalysis.runsOf(first.sha256(), "test-rms@2")).isEqualTo(1);
        assertThat(CountingAnalysis.runsOf(first.sha256(), "test-rms@1")).isEqualTo(1);
        assertThat(CountingAnalysis.runsOf(first.sha256(), "test-peak@1")).as("unchanged analyzer not rerun").isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? AND analyzer <> 'fingerprint'", first.sha256())).isEqualTo(3);
    }

    @Test
    void aClientsFanOutOfSeparateRequestsSharesOneDecode() throws Exception {
        Asset a = f.asset(f.account(), f.sine("a660", 660, 1.5, 0.4));
        f.publishAsset(a);
        List<UUID> jobs = f.fanOut(a, "test-rms", "test-peak", "pitch");
        await("fan-out jobs", WAIT, () -> jobs.stream().allMatch(j -> "succeeded".equals(f.jobStatus(j))));
        assertThat(CountingAnalysis.runsBySha256().get(a.sha256())).as("one decode for three requests").isEqualTo(1);
        assertThat(CountingAnalysis.runsOf(a.sha256(), "pitch@")).isEqualTo(1);
    }

    @Test
    void anUndecodableRecordingFailsItsJobWithAReasonAndTheJobKeepsProcessing() throws Exception {
        Path junk = blobs.resolve("junk.wav");
        byte[] bytes = new byte[50_000];
        new Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        Asset bad = f.asset(f.account(), junk);
        f.publishAsset(bad);
        f.publishRaw(f.requestsTopic, bad.sha256(), "{not json".getBytes());
        UUID badJob = f.request(bad, "test-rms:1");
        UUID badAgain = f.request(bad, "test-peak");

        Asset good = f.asset(f.account(), f.sine("a550", 550, 1.0, 0.5));
        f.publishAsset(good);
        UUID goodJob = f.request(good, "test-rms:1");

        await("jobs done", WAIT, () -> "failed".equals(f.jobStatus(badJob)) && "failed".equals(f.jobStatus(badAgain))
                && "succeeded".equals(f.jobStatus(goodJob)));
        assertThat(f.scalar("SELECT error FROM jobs WHERE id = ?", badJob)).startsWith("undecodable recording");
        assertThat(CountingAnalysis.runsBySha256().get(bad.sha256())).as("remembered as undecodable").isEqualTo(1);
        assertThat(f.job().getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    @Test
    void oneFailingAnalyzerFailsTheJobButKeepsTheOtherResults() throws Exception {
        Asset a = f.asset(f.account(), f.sine("a660", 660, 1.0, 0.5));
        f.publishAsset(a);
        UUID job = f.request(a, "test-rms:1", "test-broken", "test-peak");
        await("job failed", WAIT, () -> "failed".equals(f.jobStatus(job)));
        assertThat(f.scalar("SELECT error FROM jobs WHERE id = ?", job)).contains("test-broken").doesNotContain("test-rms");
        assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? AND status = 'succeeded' AND analyzer <> 'fingerprint'", a.sha256())).isEqualTo(2);
        assertThat(f.scalar("SELECT error FROM analysis_results WHERE sha256 = ? AND analyzer = 'test-broken'", a.sha256()))
                .contains("refuses");
    }

    @Test
    void aRequestBeforeItsAssetEventFindsTheBlobInPostgresOrWaitsForTheEvent() throws Exception {
        Asset viaDb = f.asset(f.account(), f.sine("a770", 770, 0.5, 0.5));
        UUID job1 = f.request(viaDb, "test-peak");
        await("job via blobs row", WAIT, () -> "succeeded".equals(f.jobStatus(job1)));

        Path file = f.sine("a880", 880, 0.5, 0.5);
        Asset unknown = f.unregisteredAsset(f.account(), file);
        UUID job2 = f.request(unknown, "test-peak");
        Thread.sleep(1_500);
        assertThat(f.jobStatus(job2)).as("waits for a location").isEqualTo("queued");
        f.publishAsset(unknown);
        await("job after the asset event", WAIT, () -> "succeeded".equals(f.jobStatus(job2)));

        Asset never = f.unregisteredAsset(f.account(), f.sine("a990", 990, 0.5, 0.5));
        UUID job3 = f.request(never, "test-peak");
        await("job failed after the deadline", WAIT, () -> "failed".equals(f.jobStatus(job3)));
        assertThat(f.scalar("SELECT error FROM jobs WHERE id = ?", job3)).contains("no blob is known");
    }

    @Test
    void anUnknownAnalyzerFailsTheRequestWithoutAnalysis() throws Exception {
        Asset a = f.asset(f.account(), f.sine("a220", 220, 0.5, 0.5));
        UUID job = f.request(a, "no-such-model");
        await("job failed", WAIT, () -> "failed".equals(f.jobStatus(job)));
        assertThat(f.scalar("SELECT error FROM jobs WHERE id = ?", job)).contains("unknown model");
        assertThat(CountingAnalysis.runsBySha256()).doesNotContainKey(a.sha256());
    }

    @Test
    void resultsAlreadyInPostgresAreAdoptedNotRecomputedWhenStateHasNone() throws Exception {
        Asset a = f.asset(f.account(), f.sine("a1100", 1100, 0.5, 0.5));
        String hash = Params.defaults(new TestAnalyzers.Peak().spec()).hash();
        f.scalar("INSERT INTO analysis_results (sha256, analyzer, version, params_hash, envelope, status, computed_at) "
                + "VALUES (?, 'test-peak', 1, ?, '{\"model_name\": \"test-peak\", \"results\": {\"peak\": 0.25}}'::jsonb, "
                + "'succeeded', now()) RETURNING sha256", a.sha256(), hash);
        f.publishAsset(a);
        UUID job = f.request(a, "test-peak");
        await("job succeeded", WAIT, () -> "succeeded".equals(f.jobStatus(job)));
        assertThat(CountingAnalysis.runsBySha256()).as("stored result adopted").doesNotContainKey(a.sha256());
        assertThat(f.scalar("SELECT envelope->'results'->>'peak' FROM analysis_results WHERE sha256 = ?", a.sha256()))
                .as("the stored row is untouched").isEqualTo("0.25");
    }

    private static SearchUpdate latestSearch(UUID assetId) {
        List<SearchUpdate> all = CollectingSearchSink.UPDATES.stream().filter(u -> u.assetId().equals(assetId.toString())).toList();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }
}
