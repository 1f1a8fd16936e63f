package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code savepoints/analysis/<release>/} were made. Not part of the test suite (its name matches no surefire
 * include): run by name on a worktree of the released commit, as pipeline/README.md ("Upgrading: savepoint
 * compatibility") shows; {@link AnalysisJobSavepointITCase} restores what it writes.
 *
 * <p>The released analysis job, wired as {@link PipelineFixture} wires it (the production graph with a collecting
 * search sink) on topics named after the release with one partition each, analyzes one recording (a kick over a
 * triad) with the standard set for one request; once the job succeeded and its completion is committed, the job
 * stops with a savepoint. The manifest keeps the ids the database held (account, asset, job), how to make the
 * recording's bytes again, and every record the job consumed, with its partition and offset.
 */
class AnalysisJobSavepointGenerator {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String RECORDING = "released";
    static final double SECONDS = 8.0;
    static final double BPM = 120.0;

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;

    @Test
    void analyzeOneRecordingWithTheStandardSetAndStopWithASavepoint() throws Exception {
        ReleasedSavepoints.Release target = ReleasedSavepoints.target("analysis");
        String stem = "savepoint-" + target.name();
        CountingAnalysis.reset();
        try (PipelineFixture f = new PipelineFixture(blobs, stem, 1)) {
            f.start(new CountingAnalysis(), Duration.ofMillis(500), 2);
            UUID account = f.account();
            Asset a = f.asset(account, f.kickAndTriad(RECORDING, SECONDS, BPM));
            f.publishAsset(a);
            UUID job = f.request(a, StandardAnalyzers.STANDARD_SET.toArray(String[]::new));
            await("the standard set analyzed", Duration.ofMinutes(3), () -> !"queued".equals(f.jobStatus(job)) && !"running".equals(f.jobStatus(job)));
            assertThat(f.jobStatus(job)).as("job error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", job)).isEqualTo("succeeded");
            // committed before the savepoint, so that no transaction of the results topic is open in it
            await("its completion committed", Duration.ofSeconds(60), () -> f.completions().stream().anyMatch(c -> c.requestId().equals(job)));
            String savepoint = Savepoints.stopWithSavepoint(f.job(), savepoints);

            ObjectNode manifest = ReleasedSavepoints.manifest();
            manifest.put("topic_stem", stem);
            manifest.put("partitions", 1);
            manifest.put("account", account.toString());
            manifest.put("asset_id", a.id().toString());
            manifest.put("sha256", a.sha256());
            manifest.putObject("recording").put("name", RECORDING).put("seconds", SECONDS).put("bpm", BPM);
            manifest.put("job_id", job.toString());
            StandardAnalyzers.STANDARD_SET.forEach(manifest.putArray("analyzers")::add);
            manifest.put("analyses", CountingAnalysis.RUNS.size());
            ArrayNode consumed = manifest.putArray("consumed");
            f.consumed().forEach(r -> consumed.add(r.json()));
            ReleasedSavepoints.store(target, savepoint, manifest);
        }
    }
}
