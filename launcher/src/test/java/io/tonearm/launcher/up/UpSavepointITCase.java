package io.tonearm.launcher.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.AnalysisCompleted;
import io.tonearm.events.IngestOutcome;
import io.tonearm.events.Topics;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.pipeline.ReleasedSavepoints.Release;
import io.tonearm.pipeline.TopicRecord;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.pipeline.catalog.SavepointCatalog;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.sinks.credits.CreditPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Savepoints of the one job graph {@code tonearm up} runs ({@code savepoints/up/<release>/}, made by
 * {@link UpSavepointGenerator}) restore into this code through {@code up}'s own resume path: the savepoint lies in the
 * Flink directory, {@link AnalysisPipeline#start} finds it, {@link RestoreClaims} checks it, and every part's state is
 * used:
 * <ul>
 *   <li>the Kafka ingestion: the command handled before, sent again, is answered once, as a {@code duplicate} of the
 *       first registration; the restored offsets hold (the command is not read and answered a second time);</li>
 *   <li>the analysis job: a new request for the recording analyzed before is answered from the coordinator's state
 *       (never started, no result row written);</li>
 *   <li>the catalog scan: the file it knew is not read again. Unlike the others, its registration is left out of the
 *       database the test makes, so a scan that had lost its known files would register it now; a file added after
 *       the upgrade is registered, so the scan did list the folder.</li>
 * </ul>
 * Then {@code up} starts once more without {@code --watch}, from the savepoint its stop took: it starts (only the
 * scan's state is dropped, {@link RestoreClaims}) and answers nothing again.
 * The world around the savepoint is made again as the pipeline's savepoint tests make it (pipeline/README.md, "The
 * world around a savepoint"): the rows the released run wrote, the files with the same bytes at the same paths, and
 * the records it consumed at their offsets, on {@code up}'s topics on a broker of the test's own.
 */
class UpSavepointITCase {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ADDED = "added-after-the-upgrade";
    private static final String NEW_FILE = "commanded-after-the-upgrade";
    private static final String NEW_KEY = "label-erp:up-release-2:track-1";

    @TempDir
    static Path blobs;
    @TempDir
    static Path flink;

    @Test
    void theReleasesTheReadmeNamesHaveSavepoints() {
        assertThat(UpSavepoints.releases()).extracting(Release::name).contains(UpSavepoints.RELEASES);
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("io.tonearm.launcher.up.UpSavepoints#releases")
    void everyPartResumesFromItsState(Release release) throws Exception {
        JsonNode m = release.manifest();
        try (KafkaServer kafka = KafkaServer.startThrowaway(); SavepointCatalog catalog = SavepointCatalog.open();
             PipelineFixture f = UpSavepoints.world(blobs, kafka)) {
            assertThat(m.path("watched").asText()).isEqualTo(UpSavepoints.watched());
            assertThat(m.path("modified_at").asText()).isEqualTo(SavepointCatalog.MODIFIED.toString());
            assertThat(m.path("partitions").asInt()).isEqualTo(Stack.TOPIC_PARTITIONS);
            UUID account = UUID.fromString(m.path("account").asText());
            f.scalar("INSERT INTO accounts (id, name, plan) VALUES (?, 'released', 'pro') RETURNING id", account);

            // the files, with the bytes the released run read
            JsonNode scannedBefore = m.path("scanned");
            Path scanned = catalog.write(f, UpSavepoints.WATCHED, scannedBefore.path("name").asText(), scannedBefore.path("hz").asDouble());
            assertThat(AnalysisRunner.sha256(scanned)).isEqualTo(scannedBefore.path("sha256").asText());
            JsonNode command = m.path("command");
            Path commanded = catalog.write(f, command.path("file").asText(), command.path("hz").asDouble());
            assertThat(AnalysisRunner.sha256(commanded)).isEqualTo(command.path("sha256").asText());
            JsonNode analyzedBefore = m.path("analyzed");
            Asset analyzed = f.asset(account, f.kickAndTriad(analyzedBefore.path("name").asText(),
                    analyzedBefore.path("seconds").asDouble(), analyzedBefore.path("bpm").asDouble()));
            assertThat(analyzed.sha256()).isEqualTo(analyzedBefore.path("sha256").asText());
            assertThat(analyzed.id()).hasToString(analyzedBefore.path("asset_id").asText());

            // PostgreSQL as the released run left it, but for the scanned file's registration (see above)
            Registered registered = SavepointCatalog.register(SavepointCatalog.registrations(f, blobs, CreditPolicy.configured()),
                    account, commanded, command.path("stored_idempotency_key").asText());
            assertThat(registered.assetId()).isEqualTo(command.path("asset_id").asText());
            f.scalar("INSERT INTO jobs (id, account_id, asset_id, kind, status) VALUES (?, ?, ?, 'analysis', 'succeeded') RETURNING id",
                    UUID.fromString(analyzedBefore.path("job_id").asText()), account, analyzed.id());

            // Kafka as it left it: the records it consumed, at their offsets
            List<TopicRecord> consumed = new ArrayList<>();
            m.path("consumed").forEach(r -> consumed.add(TopicRecord.of(r)));
            assertThat(consumed).extracting(TopicRecord::topic).contains(Topics.ASSETS, Topics.REQUESTS, Topics.INGEST);
            f.replay(consumed);
            TopicRecord commandBefore = consumed.stream().filter(r -> Topics.INGEST.equals(r.topic())).findFirst().orElseThrow();

            // the savepoint where up keeps its restore points
            UpSavepoints.place(release, flink);
            List<String> requested = new ArrayList<>();
            m.path("analyzers").forEach(a -> requested.add(a.asText()));
            String[] analyzers = requested.toArray(String[]::new);
            AnalysisPipeline pipeline = UpSavepoints.start(flink, f, account);
            UUID again;
            String addedSha;
            try {
                again = f.request(analyzed, analyzers);
                f.publishRaw(Topics.INGEST, commandBefore.partition(), commandBefore.key(),
                        commandBefore.value().getBytes(StandardCharsets.UTF_8));
                // after it on its partition: once this one is answered, so is the one sent again
                f.publishRaw(Topics.INGEST, commandBefore.partition(), NEW_KEY,
                        SavepointCatalog.ingestCommand(account, NEW_KEY, catalog.write(f, NEW_FILE, 660)));
                addedSha = AnalysisRunner.sha256(catalog.write(f, UpSavepoints.WATCHED, ADDED, 550));
                UUID request = again;
                await("the repeated request answered", WAIT, () -> f.completions().stream().anyMatch(c -> c.requestId().equals(request)));
                await("the command sent after the upgrade answered", WAIT,
                        () -> UpSavepoints.outcomes(f).stream().anyMatch(o -> NEW_KEY.equals(o.idempotencyKey())));
                await("the file added after the upgrade registered", WAIT,
                        () -> f.count("SELECT count(*) FROM assets WHERE account_id = ? AND sha256 = ?", account, addedSha) == 1);
            } finally {
                pipeline.close(); // with a savepoint: every record read before has gone through the job
            }

            assertThat(UpSavepoints.outcomes(f)).as("ingest outcomes after the restore: the command handled before is not answered again")
                    .extracting(IngestOutcome::idempotencyKey, IngestOutcome::status)
                    .containsExactly(tuple(command.path("idempotency_key").asText(), IngestOutcome.DUPLICATE),
                            tuple(NEW_KEY, IngestOutcome.REGISTERED));
            IngestOutcome duplicate = UpSavepoints.outcomes(f).get(0);
            assertThat(duplicate.jobId()).as("the job made for the command before the upgrade").isEqualTo(f.scalar(
                    "SELECT id FROM jobs WHERE account_id = ? AND idempotency_key = ?", account, command.path("stored_idempotency_key").asText()));
            assertThat(duplicate.assetId()).isEqualTo(command.path("asset_id").asText());

            assertThat(f.jobStatus(again)).as("error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", again)).isEqualTo("succeeded");
            assertThat(f.scalar("SELECT started_at IS NULL FROM jobs WHERE id = ?", again)).as("answered without running").isEqualTo("t");
            assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ?", analyzed.sha256()))
                    .as("result rows written for the recording analyzed before the upgrade").isZero();
            AnalysisCompleted answered = f.completions().stream().filter(c -> c.requestId().equals(again)).findFirst().orElseThrow();
            assertThat(answered.status()).isEqualTo("succeeded");
            assertThat(answered.results()).containsOnlyKeys(analyzers);
            assertThat(f.completions()).as("completions: the request before the upgrade is not read and answered again")
                    .extracting(AnalysisCompleted::requestId).containsExactly(again);

            assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND sha256 = ?", account, scannedBefore.path("sha256").asText()))
                    .as("assets of the file the scan knew: not read again").isZero();

            // the scan switched off between runs: up resumes from the savepoint it just took, dropping only the scan's state
            AnalysisPipeline withoutScan = UpSavepoints.start(flink, f, null);
            withoutScan.close();
            assertThat(UpSavepoints.outcomes(f)).as("ingest outcomes after a run without the scan: its offsets held").hasSize(2);
        }
    }
}
