package io.tonearm.pipeline.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.IngestOutcome;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.ReleasedSavepoints.Release;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.TopicRecord;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.pipeline.catalog.register.Registrations;
import io.tonearm.sinks.credits.CreditPolicy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * Savepoints taken by released ingest jobs ({@code savepoints/ingest/<release>/}, made by
 * {@link IngestCommandSavepointGenerator}) restore into this code, without {@code allowNonRestoredState}, on the real
 * Kafka broker and PostgreSQL: a command the released job had handled, delivered again with the same idempotency key,
 * is a {@code duplicate} naming the first asset and job (nothing registered, charged or requested twice); a new
 * command is registered once; and the restored Kafka offsets hold: nothing the released job had consumed (two
 * commands, one on each partition, and a malformed record) is read and answered again.
 *
 * <p><b>What the released job left.</b> The savepoint holds the source's partitions and offsets and the outcome sink's
 * transaction state; the idempotency keys live in PostgreSQL ({@code jobs.idempotency_key}), not in Flink state. So
 * the test first makes the database the released job left: the account, and each handled command registered through
 * the job's registration path under the key exactly as the released job stored it (kept in the manifest): a release
 * that named its keys differently would register a redelivered command again, and this test would say so. The
 * commands topic is made again with the records the released job had consumed, each at its old offset (checked), as
 * {@code AnalysisJobSavepointITCase} does; the files they name are in {@link SavepointCatalog#DIR} again, with the
 * same bytes. The restored job's group has no committed offsets on this broker: were the savepoint's offsets lost,
 * it would read every partition from the start.
 */
class IngestCommandSavepointITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NEW_KEY = "label-erp:release-2:track-1";

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;

    static List<Release> releases() {
        return ReleasedSavepoints.of("ingest");
    }

    @Test
    void theReleasesTheReadmeNamesHaveSavepoints() {
        assertThat(releases()).extracting(Release::name).contains("a419e78");
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("releases")
    void aHandledCommandSentAgainIsADuplicateANewOneIsRegisteredOnceAndNothingConsumedIsReadAgain(Release release) throws Exception {
        JsonNode m = release.manifest();
        try (SavepointCatalog catalog = SavepointCatalog.open(); PipelineFixture f = new PipelineFixture(blobs)) {
            assertThat(m.path("directory").asText()).isEqualTo(SavepointCatalog.DIR.toUri().toString());
            // PostgreSQL as the released job left it: the account, and the commands it handled
            UUID account = UUID.fromString(m.path("account").asText());
            f.scalar("INSERT INTO accounts (id, name, plan) VALUES (?, 'released', 'pro') RETURNING id", account);
            Registrations released = SavepointCatalog.registrations(f, blobs, CreditPolicy.defaults());
            List<JsonNode> handled = new ArrayList<>();
            m.path("commands").forEach(handled::add);
            assertThat(handled).as("commands handled before the savepoint").hasSizeGreaterThanOrEqualTo(2);
            for (JsonNode c : handled) {
                Path file = catalog.write(f, c.path("file").asText(), c.path("hz").asDouble());
                assertThat(AnalysisRunner.sha256(file)).as("%s's bytes as the released job read them", file)
                        .isEqualTo(c.path("sha256").asText());
                Registered r = SavepointCatalog.register(released, account, file, c.path("stored_idempotency_key").asText());
                assertThat(r.assetId()).isEqualTo(c.path("asset_id").asText());
            }
            long jobsBefore = f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account);
            // Kafka as it left it: the records it consumed, at their offsets
            String commands = m.path("commands_topic").asText();
            String results = m.path("results_topic").asText();
            f.kafka.createTopics(m.path("partitions").asInt(), commands, results);
            List<TopicRecord> consumed = new ArrayList<>();
            m.path("consumed").forEach(r -> consumed.add(TopicRecord.of(r)));
            assertThat(consumed).extracting(TopicRecord::partition).as("records on every partition")
                    .containsAll(List.of(0, 1));
            f.replay(consumed);

            IngestCommandRunner runner = new IngestCommandRunner(f, blobs, commands);
            JobClient job = runner.start(m.path("group_id").asText(), results, 2, release.savepoint(),
                    b -> b.credits(CreditPolicy.defaults()));
            JsonNode first = handled.get(0);
            String firstKey = first.path("idempotency_key").asText();
            TopicRecord firstCommand = consumed.stream().filter(r -> firstKey.equals(r.key())).findFirst().orElseThrow();
            f.publishRaw(commands, firstCommand.partition(), firstKey, firstCommand.value().getBytes(StandardCharsets.UTF_8));
            Path added = catalog.write(f, "added-after-the-upgrade", 550);
            f.publishRaw(commands, 1, NEW_KEY, SavepointCatalog.ingestCommand(account, NEW_KEY, added));
            await("outcomes of the command sent again and the new one", WAIT, () -> Savepoints.stillGoing(job) && runner.outcomes(results).stream()
                    .filter(o -> firstKey.equals(o.idempotencyKey()) || NEW_KEY.equals(o.idempotencyKey())).count() >= 2);
            // every record read before it has its outcome committed once the savepoint is taken
            Savepoints.stopWithSavepoint(job, savepoints);

            List<IngestOutcome> outcomes = runner.outcomes(results);
            assertThat(outcomes).as("outcomes after the restore: nothing consumed before the upgrade is answered again")
                    .extracting(IngestOutcome::idempotencyKey, IngestOutcome::status)
                    .containsExactlyInAnyOrder(tuple(firstKey, IngestOutcome.DUPLICATE), tuple(NEW_KEY, IngestOutcome.REGISTERED));
            IngestOutcome duplicate = outcomes.stream().filter(o -> firstKey.equals(o.idempotencyKey())).findFirst().orElseThrow();
            assertThat(duplicate.assetId()).isEqualTo(first.path("asset_id").asText());
            assertThat(duplicate.sha256()).isEqualTo(first.path("sha256").asText());
            assertThat(duplicate.jobId()).as("the job made for the command before the upgrade")
                    .isEqualTo(f.scalar("SELECT id FROM jobs WHERE account_id = ? AND idempotency_key = ?", account,
                            first.path("stored_idempotency_key").asText()));

            long commandsHandled = handled.size() + 1L;
            assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).as("analysis requests")
                    .isEqualTo(jobsBefore + 1).isEqualTo(commandsHandled);
            assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ?", account)).as("assets").isEqualTo(commandsHandled);
            assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account))
                    .as("charges").isEqualTo(commandsHandled);
            assertThat(f.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1' AND payload ->> 'account_id' = ?",
                    account.toString())).as("request events").isEqualTo(commandsHandled);
            assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND sha256 = ?", account, AnalysisRunner.sha256(added)))
                    .as("the new command's asset").isEqualTo(1);
        }
    }
}
