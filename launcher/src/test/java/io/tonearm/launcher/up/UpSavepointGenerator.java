package io.tonearm.launcher.up;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.IngestOutcome;
import io.tonearm.events.Topics;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.pipeline.catalog.SavepointCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code savepoints/up/<release>/} were made: a savepoint of the one job graph {@code tonearm up} runs
 * ({@link AnalysisPipeline}: the analysis job, the Kafka ingestion and the catalog scan), with state in each part. Not
 * part of the test suite (its name matches no surefire include): run by name, as pipeline/README.md ("Upgrading:
 * savepoint compatibility") shows; {@link UpSavepointITCase} restores what it writes.
 *
 * <p>{@code up}'s pipeline at its default parallelism, on {@code up}'s topics on a broker of its own, a fresh database
 * and a blob directory, without Elasticsearch, watching {@code SavepointCatalog.DIR/watched} for a pro account:
 * <ul>
 *   <li>the catalog scan registers the file there (its known files hold it);</li>
 *   <li>the Kafka ingestion handles a command for a file outside the watched folder (its offsets are past it);</li>
 *   <li>the analysis job analyzes a recording with the standard set for one request (its state holds the results).</li>
 * </ul>
 * Once each is done (the completion and the outcome committed, the scanned file's asset in PostgreSQL), {@code up}'s
 * stop takes the savepoint. No outbox relay runs, so the registrations' own requests are never analyzed. The manifest
 * keeps the ids, how to make every file again, the command's idempotency key as its job row stores it, and every record
 * the job consumed, with its partition and offset.
 */
class UpSavepointGenerator {

    static final String SCANNED = "scanned-before";
    static final double SCANNED_HZ = 220.0;
    static final String COMMANDED = "commanded-before";
    static final double COMMANDED_HZ = 330.0;
    static final String COMMAND_KEY = "label-erp:up-release-1:track-1";
    static final String ANALYZED = "analyzed-before";
    static final double SECONDS = 4.0;
    static final double BPM = 120.0;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path blobs;
    @TempDir
    static Path flink;

    @Test
    void stateInEveryPartThenStopWithASavepoint() throws Exception {
        ReleasedSavepoints.Release target = ReleasedSavepoints.target(UpSavepoints.JOB);
        try (KafkaServer kafka = KafkaServer.startThrowaway(); SavepointCatalog catalog = SavepointCatalog.open();
             PipelineFixture f = UpSavepoints.world(blobs, kafka)) {
            UUID account = f.account();
            Path scanned = catalog.write(f, UpSavepoints.WATCHED, SCANNED, SCANNED_HZ);
            Path commanded = catalog.write(f, COMMANDED, COMMANDED_HZ);
            Asset analyzed = f.asset(account, f.kickAndTriad(ANALYZED, SECONDS, BPM));

            AnalysisPipeline pipeline = UpSavepoints.start(flink, f, account);
            UUID job;
            try {
                f.publishAsset(analyzed);
                job = f.request(analyzed, StandardAnalyzers.STANDARD_SET.toArray(String[]::new));
                f.publishRaw(Topics.INGEST, COMMAND_KEY, SavepointCatalog.ingestCommand(account, COMMAND_KEY, commanded));
                UUID analysis = job;
                await("the standard set analyzed and its completion committed", WAIT,
                        () -> f.completions().stream().anyMatch(c -> c.requestId().equals(analysis)));
                await("the command's outcome committed", WAIT, () -> !UpSavepoints.outcomes(f).isEmpty());
                String scannedSha = AnalysisRunner.sha256(scanned);
                await("the scanned file registered", WAIT,
                        () -> f.count("SELECT count(*) FROM assets WHERE account_id = ? AND sha256 = ?", account, scannedSha) == 1);
            } finally {
                pipeline.close(); // up's stop: stop-with-savepoint into flink/savepoints
            }
            assertThat(f.jobStatus(job)).as("error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", job)).isEqualTo("succeeded");
            IngestOutcome outcome = UpSavepoints.outcomes(f).stream().filter(o -> COMMAND_KEY.equals(o.idempotencyKey()))
                    .findFirst().orElseThrow();
            assertThat(outcome.status()).as("%s", outcome).isEqualTo(IngestOutcome.REGISTERED);

            ObjectNode manifest = ReleasedSavepoints.manifest();
            manifest.put("parallelism", UpSavepoints.PARALLELISM);
            manifest.put("partitions", Stack.TOPIC_PARTITIONS);
            manifest.put("account", account.toString());
            manifest.put("directory", SavepointCatalog.DIR.toUri().toString());
            manifest.put("watched", UpSavepoints.watched());
            manifest.put("modified_at", SavepointCatalog.MODIFIED.toString());
            manifest.put("seconds", SavepointCatalog.SECONDS);
            manifest.put("amplitude", SavepointCatalog.AMPLITUDE);
            manifest.putObject("scanned").put("name", SCANNED).put("hz", SCANNED_HZ)
                    .put("size_bytes", Files.size(scanned)).put("sha256", AnalysisRunner.sha256(scanned));
            manifest.putObject("command").put("idempotency_key", COMMAND_KEY).put("file", COMMANDED).put("hz", COMMANDED_HZ)
                    .put("sha256", outcome.sha256()).put("asset_id", outcome.assetId()).put("job_id", outcome.jobId())
                    .put("stored_idempotency_key", f.scalar("SELECT idempotency_key FROM jobs WHERE id = ?::uuid", outcome.jobId()));
            manifest.putObject("analyzed").put("name", ANALYZED).put("seconds", SECONDS).put("bpm", BPM)
                    .put("sha256", analyzed.sha256()).put("asset_id", analyzed.id().toString()).put("job_id", job.toString());
            StandardAnalyzers.STANDARD_SET.forEach(manifest.putArray("analyzers")::add);
            ArrayNode consumed = manifest.putArray("consumed");
            f.consumed(Topics.ASSETS, Topics.REQUESTS, Topics.INGEST).forEach(r -> consumed.add(r.json()));
            List<Path> restorePoints = AnalysisPipeline.newestRestorePoint(flink.resolve("savepoints")).stream().toList();
            assertThat(restorePoints).as("up's savepoint").hasSize(1);
            ReleasedSavepoints.store(target, restorePoints.get(0).toUri().toString(), manifest);
        }
    }
}
