package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.events.AnalysisCompleted;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.sinks.postgres.fingerprint.FingerprintRepository;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under a task failure: 200 requests (50 recordings × 4 accounts); the task fails once in the middle
 * (an Error from the analysis, as a crash would) and restarts from the last completed checkpoint.
 */
class ExactlyOnceFaultITCase {

    private static final int RECORDINGS = 50;
    private static final int ACCOUNTS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(historyConfig()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path blobs;
    static PipelineFixture f;

    @BeforeAll
    static void start() throws Exception {
        CountingAnalysis.reset();
        f = new PipelineFixture(blobs);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void everyRequestSucceedsOnceAndCheckpointedResultsAreNotRecomputed() throws Exception {
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) accounts.add(f.account());
        List<UUID> jobs = new ArrayList<>();
        List<Asset> assets = new ArrayList<>();
        for (int r = 0; r < RECORDINGS; r++) {
            Path file = f.sine("r" + r, 200 + 10 * r, 1.0, 0.3);
            for (UUID account : accounts) assets.add(f.asset(account, file));
        }
        CountingAnalysis.FAIL_AFTER.set(RECORDINGS / 2);
        f.start(new CountingAnalysis(), Duration.ofMillis(300), 2);
        long t0 = System.currentTimeMillis();
        for (Asset a : assets) {
            f.publishAsset(a);
            jobs.add(f.request(a, "test-rms:1", "test-peak"));
        }

        await("all 200 jobs terminal", Duration.ofMinutes(3), () -> f.count(
                "SELECT count(*) FROM jobs WHERE status IN ('succeeded', 'failed')") == jobs.size());
        long elapsed = System.currentTimeMillis() - t0;

        assertThat(CountingAnalysis.FAILED).as("the task failed once").isTrue();
        assertThat(f.count("SELECT count(*) FROM jobs WHERE status = 'succeeded'"))
                .as("succeeded jobs; failures: %s", f.scalar("SELECT string_agg(error, ' | ') FROM jobs WHERE status <> 'succeeded'"))
                .isEqualTo(jobs.size());
        assertThat(f.count("SELECT count(*) FROM analysis_results WHERE status = 'succeeded' AND analyzer <> 'fingerprint'"))
                .isEqualTo(2L * RECORDINGS);
        // every recording fingerprinted and indexed once, its landmarks once, although the failover replayed writes
        assertThat(f.count("SELECT count(*) FROM fingerprint_recordings")).isEqualTo(RECORDINGS);
        Map<String, Long> counted = f.db.withConnection(c -> {
            Map<String, Long> out = new HashMap<>();
            try (var rs = c.createStatement().executeQuery("SELECT sha256, landmark_count FROM fingerprint_recordings")) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        });
        counted.forEach((sha, count) -> assertThat((long) f.db.withConnection(c -> FingerprintRepository.landmarks(c, sha)).orElseThrow().count())
                .as("landmarks stored for %s", sha).isEqualTo(count));

        await("every completion committed", Duration.ofSeconds(30), () -> f.completions().size() >= jobs.size());
        List<AnalysisCompleted> completions = f.completions();
        assertThat(completions).hasSize(jobs.size());
        assertThat(completions.stream().map(AnalysisCompleted::requestId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(new HashSet<>(jobs));
        assertThat(completions).allMatch(c -> c.status().equals("succeeded"));

        // No recording whose result was in the restored checkpoint ran again.
        long restoredCheckpointTriggeredAt = restoredCheckpointTriggerTime();
        Map<String, Integer> runs = CountingAnalysis.runsBySha256();
        assertThat(runs).hasSize(RECORDINGS);
        int rerun = 0;
        for (Map.Entry<String, Integer> e : runs.entrySet()) {
            assertThat(e.getValue()).as("runs of %s", e.getKey()).isBetween(1, 2);
            if (e.getValue() == 2) {
                rerun++;
                long firstEnded = CountingAnalysis.RUNS.stream().filter(r -> r.sha256().equals(e.getKey()))
                        .mapToLong(CountingAnalysis.Run::endedAtMillis).min().orElseThrow();
                assertThat(firstEnded).as("a recording analyzed before the restored checkpoint ran again")
                        .isGreaterThanOrEqualTo(restoredCheckpointTriggeredAt - 20);
            }
        }
        System.out.printf("exactly-once fault test: %d requests, %d recordings, %d analyses (%d re-run after the failure)"
                        + " in %.1f s = %.0f requests/min, %.0f recordings/min%n", jobs.size(), RECORDINGS,
                CountingAnalysis.RUNS.size(), rerun, elapsed / 1000.0, jobs.size() * 60_000.0 / elapsed,
                RECORDINGS * 60_000.0 / elapsed);
    }

    /** When the checkpoint the job restored from was triggered (from the REST API's checkpoint history). */
    private long restoredCheckpointTriggerTime() throws Exception {
        Configuration client = FLINK.getClientConfiguration();
        String base = "http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/jobs/" + f.job().getJobID() + "/checkpoints")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stats = new ObjectMapper().readTree(response.body());
        JsonNode restored = stats.path("latest").path("restored");
        assertThat(restored.isObject()).as("the job restored a checkpoint: %s", stats.path("latest")).isTrue();
        long id = restored.path("id").asLong();
        for (JsonNode c : stats.path("history")) {
            if (c.path("id").asLong() == id) return c.path("trigger_timestamp").asLong();
        }
        throw new AssertionError("checkpoint " + id + " not in the history");
    }

    private static Configuration historyConfig() {
        Configuration c = new Configuration();
        c.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 10_000);
        return c;
    }
}
