package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.events.AnalysisCompleted;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.ReleasedSavepoints.Release;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.TopicRecord;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints taken by released analysis jobs ({@code savepoints/analysis/<release>/}, made by
 * {@link AnalysisJobSavepointGenerator}) restore into this code, without {@code allowNonRestoredState}, on the real
 * Kafka broker and PostgreSQL: a repeated request for the recording the released job analyzed is answered from the
 * restored state (no decode, no analysis, no result row written), a new recording is analyzed, and the restored
 * Kafka offsets hold (what the released job had consumed is not read again).
 *
 * <p><b>Kafka offsets.</b> The savepoint holds offsets into the generating run's topics, which lived on a broker long
 * gone. The test makes the same topics (names, one partition each) on its fresh broker and writes the records the
 * released job had consumed (kept in the manifest) again, each to its partition, where it lands at its old offset
 * (checked): the log the restored job sees is the one the released job left, as a real upgrade keeps its broker and
 * topics. The restored sources resume after those records; the old asset event is never read again, so no search
 * update names its asset, though the new recording's do (checked after a final savepoint, by which every record
 * read before it has gone through the job).
 */
class AnalysisJobSavepointITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String[] STANDARD_SET = StandardAnalyzers.STANDARD_SET.toArray(String[]::new);

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;

    static List<Release> releases() {
        return ReleasedSavepoints.of("analysis");
    }

    @Test
    void theReleasesTheReadmeNamesHaveSavepoints() {
        assertThat(releases()).extracting(Release::name).contains("fdf71ee");
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("releases")
    void aRecordingAnalyzedBeforeTheUpgradeIsAnsweredFromStateAndANewOneIsAnalyzed(Release release) throws Exception {
        JsonNode m = release.manifest();
        CountingAnalysis.reset();
        try (PipelineFixture f = new PipelineFixture(blobs, m.path("topic_stem").asText(), m.path("partitions").asInt())) {
            // PostgreSQL as the released job left it: the account, the asset, the job it answered
            UUID account = UUID.fromString(m.path("account").asText());
            f.scalar("INSERT INTO accounts (id, name, plan) VALUES (?, 'released', 'pro') RETURNING id", account);
            JsonNode recording = m.path("recording");
            Asset analyzed = f.asset(account, f.kickAndTriad(recording.path("name").asText(),
                    recording.path("seconds").asDouble(), recording.path("bpm").asDouble()));
            assertThat(analyzed.sha256()).as("the recording's bytes as the released job analyzed them").isEqualTo(m.path("sha256").asText());
            assertThat(analyzed.id()).hasToString(m.path("asset_id").asText());
            f.scalar("INSERT INTO jobs (id, account_id, asset_id, kind, status) VALUES (?, ?, ?, 'analysis', 'succeeded') RETURNING id",
                    UUID.fromString(m.path("job_id").asText()), account, analyzed.id());
            // Kafka as it left it: the records it consumed, at their offsets
            List<TopicRecord> consumed = new ArrayList<>();
            m.path("consumed").forEach(r -> consumed.add(TopicRecord.of(r)));
            assertThat(consumed).extracting(TopicRecord::topic).contains("assets-" + m.path("topic_stem").asText());
            f.replay(consumed);

            f.restore(new CountingAnalysis(), Duration.ofMillis(500), 2, release.savepoint());
            UUID again = f.request(analyzed, STANDARD_SET);
            Asset fresh = f.asset(account, f.kickAndTriad("after-the-upgrade", 6.0, 100.0));
            f.publishAsset(fresh);
            UUID freshJob = f.request(fresh, STANDARD_SET);
            await("both jobs ended", WAIT, () -> ended(f, again) && ended(f, freshJob));
            assertThat(f.jobStatus(again)).as("error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", again)).isEqualTo("succeeded");
            assertThat(f.jobStatus(freshJob)).as("error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", freshJob)).isEqualTo("succeeded");
            await("both completions committed", WAIT, () -> f.completions().stream().filter(c -> c.requestId().equals(again)
                    || c.requestId().equals(freshJob)).count() == 2);
            Savepoints.stopWithSavepoint(f.job(), savepoints);

            assertThat(CountingAnalysis.runsBySha256()).as("analyses after the restore")
                    .doesNotContainKey(analyzed.sha256()).containsEntry(fresh.sha256(), 1);
            assertThat(f.scalar("SELECT started_at IS NULL FROM jobs WHERE id = ?", again)).as("answered without running").isEqualTo("t");
            assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ?", analyzed.sha256()))
                    .as("result rows written for the recording analyzed before the upgrade").isZero();
            assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? AND status = 'succeeded' AND analyzer <> 'fingerprint'",
                    fresh.sha256())).isEqualTo(STANDARD_SET.length);
            AnalysisCompleted answered = f.completions().stream().filter(c -> c.requestId().equals(again)).findFirst().orElseThrow();
            assertThat(answered.status()).isEqualTo("succeeded");
            assertThat(answered.results()).containsOnlyKeys(STANDARD_SET)
                    .allSatisfy((name, ref) -> assertThat(ref.status()).as(name).isEqualTo("succeeded"));

            assertThat(CollectingSearchSink.UPDATES).as("search updates of the new asset")
                    .anyMatch(u -> u.assetId().equals(fresh.id().toString()));
            assertThat(CollectingSearchSink.UPDATES).as("search updates of the asset whose event the released job had read")
                    .noneMatch(u -> u.assetId().equals(analyzed.id().toString()));
        }
    }

    private static boolean ended(PipelineFixture f, UUID job) {
        String status = f.jobStatus(job);
        return "succeeded".equals(status) || "failed".equals(status);
    }
}
