package io.tonearm.pipeline.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.Registered;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code savepoints/catalog-scan/<release>/} were made. Not part of the test suite (its name matches no
 * surefire include): run by name on a worktree of the released commit, as pipeline/README.md ("Upgrading: savepoint
 * compatibility") shows; {@link CatalogScanSavepointITCase} restores what it writes.
 *
 * <p>The released catalog-scan job scans {@link SavepointCatalog#DIR} holding three files, for a pro account whose
 * monthly allowance pays for two standard-set requests ({@code TONEARM_CREDITS_PRO=28}, required): releases that
 * charge credits (from fdf71ee) register two and keep the third waiting for credits in {@code RegisterFiles}' keyed
 * state, with its retry timer; older releases register all three. Once every file has its outcome the job stops
 * with a savepoint, which is copied next to a manifest of the files, their bytes' SHA-256 and their outcomes.
 *
 * <p>It uses only what every release since e3694ea has (the job's builder, {@code PipelineFixture},
 * {@link CollectingOutcomes}, and the helpers this class came with: copy those into an older worktree with it).
 */
class CatalogScanSavepointGenerator {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Duration SCAN = Duration.ofMillis(300);
    /** The files and their frequencies; two requests' worth of credits for three files. */
    static final Map<String, Double> FILES = new LinkedHashMap<>();

    static {
        FILES.put("first", 220.0);
        FILES.put("second", 330.0);
        FILES.put("third", 440.0);
    }

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;

    @Test
    void registerThreeFilesAndStopWithASavepoint() throws Exception {
        assertThat(System.getenv("TONEARM_CREDITS_PRO")).as("run with TONEARM_CREDITS_PRO=28: credits for two of the three files")
                .isEqualTo("28");
        ReleasedSavepoints.Release target = ReleasedSavepoints.target("catalog-scan");
        CollectingOutcomes.OUTCOMES.clear();
        try (SavepointCatalog catalog = SavepointCatalog.open(); PipelineFixture f = new PipelineFixture(blobs)) {
            Map<String, Path> written = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : FILES.entrySet()) written.put(e.getKey(), catalog.write(f, e.getKey(), e.getValue()));
            UUID account = f.account();
            JobClient job = new CatalogScanRunner(f.pg, blobs, SCAN, "catalog-scan-savepoint").start(SavepointCatalog.DIR, account, null);
            await("an outcome for every file", Duration.ofSeconds(90), () -> CollectingOutcomes.OUTCOMES.size() >= FILES.size());
            String savepoint = Savepoints.stopWithSavepoint(job, savepoints);

            ObjectNode manifest = ReleasedSavepoints.manifest();
            manifest.put("directory", SavepointCatalog.DIR.toUri().toString());
            manifest.put("modified_at", SavepointCatalog.MODIFIED.toString());
            manifest.put("seconds", SavepointCatalog.SECONDS);
            manifest.put("amplitude", SavepointCatalog.AMPLITUDE);
            ArrayNode files = manifest.putArray("files");
            for (Map.Entry<String, Path> e : written.entrySet()) {
                Registered outcome = CollectingOutcomes.OUTCOMES.stream()
                        .filter(o -> o.source().endsWith("/" + e.getValue().getFileName())).findFirst().orElseThrow();
                assertThat(outcome.status()).as("outcome of %s: %s", e.getKey(), outcome).isIn("registered", "refused");
                assertThat(outcome.sha256()).isEqualTo(AnalysisRunner.sha256(e.getValue()));
                files.addObject()
                        .put("name", e.getKey())
                        .put("hz", FILES.get(e.getKey()))
                        .put("size_bytes", Files.size(e.getValue()))
                        .put("sha256", outcome.sha256())
                        .put("outcome", outcome.status());
            }
            ReleasedSavepoints.store(target, savepoint, manifest);
        }
    }
}
