package io.tonearm.launcher.up;

import io.tonearm.pipeline.ReleasedSavepoints.Release;
import io.tonearm.pipeline.catalog.CatalogScanJob;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RestoreClaims} against the committed savepoints of {@code up}'s job graph ({@link UpSavepointITCase} restores
 * them on a running stack): {@code up}'s graph claims all their state; without {@code --watch} only the scan's is
 * dropped; and a release that renamed the uid of an operator with state is refused, with a message saying what and what
 * to do. Only job graphs are built here, nothing runs.
 */
class RestoreClaimsTest {

    /** The operators of {@code up}'s graph with state in its savepoints: a new uid for any of them loses it. */
    private static final List<String> STATEFUL = List.of("inbound-0", "inbound-1", "recording-coordinator", "heavy-analyses",
            "heavy-completion", "completions-kafka",
            "ingest-commands", "ingest-outcomes", "catalog-scan", "register-files");

    @TempDir
    static Path blobs;
    @TempDir
    static Path flink;

    static Stream<Arguments> renamed() {
        return UpSavepoints.releases().stream().flatMap(r -> STATEFUL.stream().map(uid -> Arguments.of(r, uid)));
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("io.tonearm.launcher.up.UpSavepoints#releases")
    void upsGraphClaimsAllTheStateOfItsSavepoints(Release release) throws Exception {
        assertThat(RestoreClaims.check(savepoint(release), flink, upsGraph(true, null), RestoreClaims.droppable(true))).isEmpty();
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("io.tonearm.launcher.up.UpSavepoints#releases")
    void withoutWatchOnlyTheScansStateIsDropped(Release release) throws Exception {
        List<String> dropped = RestoreClaims.check(savepoint(release), flink, upsGraph(false, null), RestoreClaims.droppable(false));
        assertThat(dropped).contains("catalog-scan", "register-files").allMatch(CatalogScanJob.UIDS::contains);
    }

    @ParameterizedTest(name = "savepoint of {0}, {1} renamed")
    @MethodSource("renamed")
    void aRenamedUidOfAnOperatorWithStateIsRefused(Release release, String uid) {
        Path savepoint = savepoint(release);
        assertThatThrownBy(() -> RestoreClaims.check(savepoint, flink, upsGraph(true, uid), RestoreClaims.droppable(true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot resume from " + savepoint)
                .hasMessageContaining(uid)
                .hasMessageContaining("move " + flink + " aside");
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("io.tonearm.launcher.up.UpSavepoints#releases")
    void withoutWatchARenamedUidElsewhereIsStillRefused(Release release) {
        assertThatThrownBy(() -> RestoreClaims.check(savepoint(release), flink, upsGraph(false, "ingest-commands"),
                RestoreClaims.droppable(false))).isInstanceOf(IllegalStateException.class).hasMessageContaining("ingest-commands")
                .hasMessageNotContaining("catalog-scan");
    }

    private static Path savepoint(Release release) {
        return release.dir().resolve("savepoint");
    }

    /** {@code up}'s job graph as {@link AnalysisPipeline#start} builds it, with {@code renamed}'s uid changed (null: none). */
    private static JobGraph upsGraph(boolean scanning, String renamed) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
        AnalysisPipeline.addJobs(env, blobs.toString(), "127.0.0.1:9", new PostgresConnection("jdbc:postgresql://127.0.0.1:9/none", "tonearm", null),
                null, UpSavepoints.PARALLELISM, scanning ? new AnalysisPipeline.CatalogScan(UpSavepoints.watched(), UUID.randomUUID()) : null,
                List.of(), CreditPolicy.configured());
        if (renamed != null) {
            Transformation<?> t = env.getTransformations().stream()
                    .flatMap(sink -> sink.getTransitivePredecessors().stream())
                    .filter(p -> renamed.equals(p.getUid())).findFirst().orElseThrow(() -> new AssertionError("no uid " + renamed));
            t.setUid(renamed + "-v2");
        }
        return env.getStreamGraph(false).getJobGraph();
    }
}
