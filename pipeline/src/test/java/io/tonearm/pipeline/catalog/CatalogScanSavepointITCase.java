package io.tonearm.pipeline.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.ReleasedSavepoints.Release;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.pipeline.catalog.register.Registrations;
import io.tonearm.sinks.credits.CreditPolicy;
import org.apache.flink.core.execution.JobClient;
import org.assertj.core.groups.Tuple;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Savepoints taken by released catalog-scan jobs ({@code savepoints/catalog-scan/<release>/}, made by
 * {@link CatalogScanSavepointGenerator}) restore into this code, without {@code allowNonRestoredState}: in the
 * directory and database the released job left (its files unchanged, its registrations in PostgreSQL), plus one new
 * file, the restored job's rescans register the new file once, register a file that waited for credits in the
 * savepoint once (the account has credits now), and emit nothing else: no file known before the upgrade is
 * registered, charged or requested for analysis again.
 */
class CatalogScanSavepointITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration SCAN = Duration.ofMillis(300);
    private static final String ADDED = "added-after-the-upgrade";

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;
    static PipelineFixture f;
    static CatalogScanRunner runner;

    @BeforeAll
    static void start() throws Exception {
        f = new PipelineFixture(blobs);
        runner = new CatalogScanRunner(f.pg, blobs, SCAN, "catalog-scan-restored-" + f.suffix);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    static List<Release> releases() {
        return ReleasedSavepoints.of("catalog-scan");
    }

    @Test
    void theReleasesTheReadmeNamesHaveSavepoints() {
        assertThat(releases()).extracting(Release::name).contains("e3694ea", "fdf71ee");
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("releases")
    void aRestoredScanRegistersOnlyTheNewFileAndTheOnesThatWaitedForCredits(Release release) throws Exception {
        JsonNode manifest = release.manifest();
        UUID account = f.account();
        CollectingOutcomes.OUTCOMES.clear();
        try (SavepointCatalog catalog = SavepointCatalog.open()) {
            assertThat(manifest.path("directory").asText()).isEqualTo(SavepointCatalog.DIR.toUri().toString());
            assertThat(manifest.path("modified_at").asText()).isEqualTo(SavepointCatalog.MODIFIED.toString());
            Registrations released = SavepointCatalog.registrations(f, blobs, CreditPolicy.configured());
            List<String> waiting = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (JsonNode file : manifest.path("files")) {
                String name = file.path("name").asText();
                Path path = catalog.write(f, name, file.path("hz").asDouble());
                assertThat(AnalysisRunner.sha256(path)).as("%s's bytes as the released job read them", name)
                        .isEqualTo(file.path("sha256").asText());
                assertThat(Files.size(path)).isEqualTo(file.path("size_bytes").asLong());
                all.add(file.path("sha256").asText());
                if (file.path("outcome").asText().equals("registered")) {
                    SavepointCatalog.register(released, account, path, null); // the database as the released job left it
                } else {
                    assertThat(file.path("outcome").asText()).isEqualTo("refused");
                    waiting.add(path.getFileName().toString());
                }
            }
            all.add(AnalysisRunner.sha256(catalog.write(f, ADDED, 550)));
            long registeredBefore = f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account);

            JobClient job = runner.start(SavepointCatalog.DIR, account, release.savepoint());
            await("the new file and the ones that waited for credits registered", Duration.ofSeconds(60),
                    () -> CollectingOutcomes.count("registered") == 1 + waiting.size());
            // every file the restored scans emitted so far has its outcome once the savepoint is taken
            Savepoints.stopWithSavepoint(job, savepoints);

            List<Tuple> expected = new ArrayList<>();
            expected.add(tuple(ADDED + ".wav", "registered"));
            waiting.forEach(name -> expected.add(tuple(name, "registered")));
            assertThat(CollectingOutcomes.OUTCOMES).as("outcomes after the restore")
                    .extracting(o -> o.source().substring(o.source().lastIndexOf('/') + 1), Registered::status)
                    .containsExactlyInAnyOrderElementsOf(expected);
            for (String sha256 : all) {
                assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND sha256 = ?", account, sha256))
                        .as("assets of %s", sha256).isEqualTo(1);
                assertThat(f.count("SELECT count(*) FROM jobs j JOIN assets a ON a.id = j.asset_id "
                        + "WHERE a.account_id = ? AND a.sha256 = ?", account, sha256)).as("analysis requests of %s", sha256).isEqualTo(1);
            }
            assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account))
                    .isEqualTo(registeredBefore + 1 + waiting.size());
            assertThat(f.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1' AND payload ->> 'account_id' = ?",
                    account.toString())).as("request events").isEqualTo(all.size());
            assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account))
                    .as("charges").isEqualTo(all.size());
        }
    }
}
