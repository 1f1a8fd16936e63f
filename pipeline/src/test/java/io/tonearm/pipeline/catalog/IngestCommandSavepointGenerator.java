package io.tonearm.pipeline.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.IngestOutcome;
import io.tonearm.pipeline.ReleasedSavepoints;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.sinks.credits.CreditPolicy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code savepoints/ingest/<release>/} were made. Not part of the test suite (its name matches no surefire
 * include): run by name on a worktree of the released commit, as pipeline/README.md ("Upgrading: savepoint
 * compatibility") shows; {@link IngestCommandSavepointITCase} restores what it writes.
 *
 * <p>The released ingest job, wired as {@link IngestCommandRunner} wires it (parallelism 2, the standard set, the
 * default credit allowances), reads a commands topic of two partitions named after the release: on partition 0 a file
 * command (registered) and then a malformed record (answered {@code malformed} with its position), on partition 1 a
 * second file command (registered); the files are sines in {@link SavepointCatalog#DIR}. Once the three outcomes are
 * committed (so that no outcome transaction is open in the savepoint) the job stops with a savepoint: both readers'
 * offsets are past a handled command. The manifest keeps the account, each command with its file, the asset and job
 * it made and the idempotency key its job row carries in PostgreSQL (the key the next release must still recognise),
 * every record the job consumed with its partition and offset, and the outcomes it committed.
 */
class IngestCommandSavepointGenerator {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final int PARTITIONS = 2;
    static final String MALFORMED = "{\"version\":1,\"account_id\":";

    /** A file command the released job registers. */
    record Command(String key, int partition, String file, double hz) {
    }

    static final List<Command> COMMANDS = List.of(
            new Command("label-erp:release-1:track-1", 0, "ingested-first", 220.0),
            new Command("label-erp:release-1:track-2", 1, "ingested-second", 330.0));

    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;

    @Test
    void handleTwoCommandsAndAMalformedRecordAndStopWithASavepoint() throws Exception {
        ReleasedSavepoints.Release target = ReleasedSavepoints.target("ingest");
        String stem = "savepoint-" + target.name();
        String commands = "ingest-" + stem;
        String results = "ingest-results-" + stem;
        try (SavepointCatalog catalog = SavepointCatalog.open(); PipelineFixture f = new PipelineFixture(blobs)) {
            f.kafka.createTopics(PARTITIONS, commands, results);
            UUID account = f.account();
            ObjectNode manifest = ReleasedSavepoints.manifest();
            ArrayNode handled = manifest.putArray("commands");
            for (Command c : COMMANDS) {
                Path file = catalog.write(f, c.file(), c.hz());
                f.publishRaw(commands, c.partition(), c.key(), SavepointCatalog.ingestCommand(account, c.key(), file));
                handled.addObject().put("idempotency_key", c.key()).put("partition", c.partition())
                        .put("file", c.file()).put("hz", c.hz()).put("size_bytes", Files.size(file))
                        .put("sha256", AnalysisRunner.sha256(file));
            }
            f.publishRaw(commands, 0, "malformed", MALFORMED.getBytes(StandardCharsets.UTF_8));

            IngestCommandRunner runner = new IngestCommandRunner(f, blobs, commands);
            JobClient job = runner.start("ingest-" + stem, results, 2, null, b -> b.credits(CreditPolicy.defaults()));
            await("an outcome for every command", Duration.ofSeconds(90), () -> runner.outcomes(results).size() >= COMMANDS.size() + 1);
            String savepoint = Savepoints.stopWithSavepoint(job, savepoints);

            List<IngestOutcome> outcomes = runner.outcomes(results);
            assertThat(outcomes).hasSize(COMMANDS.size() + 1);
            assertThat(outcomes).filteredOn(o -> o.status().equals(IngestOutcome.MALFORMED)).singleElement()
                    .satisfies(o -> assertThat(o.source().partition()).isZero());
            for (JsonNode n : handled) {
                ObjectNode c = (ObjectNode) n;
                IngestOutcome o = outcomes.stream().filter(x -> c.path("idempotency_key").asText().equals(x.idempotencyKey()))
                        .findFirst().orElseThrow();
                assertThat(o.status()).as("outcome of %s: %s", c, o).isEqualTo(IngestOutcome.REGISTERED);
                assertThat(o.sha256()).isEqualTo(c.path("sha256").asText());
                c.put("asset_id", o.assetId()).put("job_id", o.jobId())
                        .put("stored_idempotency_key", f.scalar("SELECT idempotency_key FROM jobs WHERE id = ?::uuid", o.jobId()));
            }
            assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account))
                    .as("charges").isEqualTo(COMMANDS.size());

            manifest.put("topic_stem", stem);
            manifest.put("partitions", PARTITIONS);
            manifest.put("commands_topic", commands);
            manifest.put("results_topic", results);
            manifest.put("group_id", "ingest-" + stem);
            manifest.put("account", account.toString());
            manifest.put("directory", SavepointCatalog.DIR.toUri().toString());
            manifest.put("seconds", SavepointCatalog.SECONDS);
            manifest.put("amplitude", SavepointCatalog.AMPLITUDE);
            ArrayNode consumed = manifest.putArray("consumed");
            f.consumed(commands).forEach(r -> consumed.add(r.json()));
            ArrayNode answered = manifest.putArray("answered");
            f.consumed(results).forEach(r -> answered.add(r.json()));
            ReleasedSavepoints.store(target, savepoint, manifest);
        }
    }
}
