package io.tonearm.launcher.up;

import io.tonearm.events.EventCodec;
import io.tonearm.events.IngestOutcome;
import io.tonearm.events.Topics;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.SavepointCatalog;
import io.tonearm.sinks.credits.CreditPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What {@link UpSavepointGenerator} and {@link UpSavepointITCase} share: {@code tonearm up}'s topics on a broker of the
 * test's own (the savepoint's offsets name {@code up}'s fixed topic names, which other launcher tests use on the shared
 * broker), {@code up}'s pipeline as {@link Stack} starts it, and its ingest outcomes read back.
 */
final class UpSavepoints {

    static final String JOB = "up";
    /** The releases whose savepoints must be there (README.md, pipeline/README.md's table). */
    static final String[] RELEASES = {"53dab0d"};
    /** The folder of {@link SavepointCatalog#DIR} the catalog scan watches; ingest commands name files outside it. */
    static final String WATCHED = "watched";
    /** {@code up}'s default. */
    static final int PARALLELISM = 1;
    private static final PipelineFixture.TopicNames TOPICS = new PipelineFixture.TopicNames(Topics.ASSETS, Topics.REQUESTS, Topics.RESULTS);

    private UpSavepoints() {
    }

    /** The committed savepoints of {@code up}'s graph, one per release (a {@code @MethodSource} of the tests). */
    static List<ReleasedSavepoints.Release> releases() {
        return ReleasedSavepoints.of(JOB);
    }

    /** The watched folder as {@code up --watch} passes it to the job: an absolute {@code file:} URI of a folder. */
    static String watched() {
        String uri = SavepointCatalog.DIR.resolve(WATCHED).toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/"; // as toUri() gives it once the folder exists
    }

    /** A database, {@code blobs} and {@code up}'s topics (as {@link Stack} makes them) on {@code kafka}. */
    static PipelineFixture world(Path blobs, KafkaServer kafka) throws Exception {
        Stack.createTopics(kafka.bootstrapServers());
        return new PipelineFixture(blobs, kafka, TOPICS, Stack.TOPIC_PARTITIONS);
    }

    /**
     * {@code up}'s pipeline on {@code f}'s world with its Flink state under {@code flinkDir} (resuming from the newest
     * restore point there), without Elasticsearch (search documents are discarded: a stateless sink under the same
     * uid), scanning {@link #watched()} for {@code scanAccount} (null: no {@code --watch}).
     */
    static AnalysisPipeline start(Path flinkDir, PipelineFixture f, UUID scanAccount) throws Exception {
        return AnalysisPipeline.start(flinkDir, f.blobDir.toString(), f.kafka.bootstrapServers(), f.pg, null, PARALLELISM,
                scanAccount == null ? null : new AnalysisPipeline.CatalogScan(watched(), scanAccount), List.of(),
                CreditPolicy.configured());
    }

    /** {@code release}'s savepoint where {@code up} keeps its own, under {@code flinkDir}: the next start resumes from it. */
    static void place(ReleasedSavepoints.Release release, Path flinkDir) throws IOException {
        Path to = Files.createDirectories(flinkDir.resolve("savepoints").resolve("savepoint-" + release.name()));
        try (Stream<Path> files = Files.list(release.dir().resolve("savepoint"))) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName().toString()));
            }
        }
    }

    /** The ingest job's outcomes committed on {@link Topics#RESULTS} (completions, which share it, left out). */
    static List<IngestOutcome> outcomes(PipelineFixture f) {
        return f.committed(Topics.RESULTS).stream().filter(r -> IngestOutcome.TYPE.equals(EventCodec.resultType(r.value())))
                .map(r -> EventCodec.decodeIngestOutcome(r.value())).toList();
    }
}
