package io.tonearm.pipeline.catalog;

import com.sun.net.httpserver.HttpServer;
import io.tonearm.events.IngestOutcome;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.CreditPolicy;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest job on a MiniCluster against the real Kafka broker and PostgreSQL: commands on the ingest topic become
 * assets with a standard-set request and an outcome on the results topic (read_committed); a repeated key is a
 * duplicate with the same ids and nothing new; malformed commands, unknown accounts, hostile URLs and unreadable
 * files are outcomes with reasons, and the job (no restarts allowed) keeps running through all of them. What is
 * registered is probed with the registration: a WAV is {@code ready} with its duration, rate and channels; undecodable
 * bytes are a {@code failed} asset with the decoder's reason, named in a {@code failed} outcome, and no request. Assets live
 * as long as the account's plan says; each request is paid once, also when a replay reads the commands again; an
 * account out of credits is refused with {@code insufficient_credits}.
 */
class IngestCommandITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build()); // the replay job runs beside the job

    @TempDir
    static Path files;
    @TempDir
    static Path blobs;
    static PipelineFixture f;
    static UUID account;
    static String commands;
    static String results;
    static KafkaProducer<byte[], byte[]> producer;
    static HttpServer server;
    static IngestCommandRunner runner;
    static JobClient job;

    @BeforeAll
    static void start() throws Exception {
        f = new PipelineFixture(files);
        account = f.account();
        commands = "ingest-" + f.suffix;
        results = "ingest-results-" + f.suffix;
        f.kafka.createTopics(2, commands, results);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, f.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        byte[] wav = Files.readAllBytes(f.sine("served", 523, 1.0, 0.5));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/catalog/served.wav", ex -> {
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
            ex.sendResponseHeaders(200, wav.length);
            ex.getResponseBody().write(wav);
            ex.close();
        });
        server.start();

        runner = new IngestCommandRunner(f, blobs, commands);
        job = run("ingest-" + f.suffix, results, 2);
    }

    /** The ingest job reading the commands topic from the start (a new group id) and answering on {@code outcomes}. */
    private static JobClient run(String groupId, String outcomes, int parallelism) throws Exception {
        return runner.start(groupId, outcomes, parallelism, null, b -> b
                // Only this test server's port: other loopback ports and metadata addresses stay forbidden.
                .urlAllowList(List.of("127.0.0.1:" + server.getAddress().getPort()))
                // A basic account's month covers one standard-set request (14 credits); pro keeps its default.
                .credits(CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 14)));
    }

    @AfterEach
    void jobStillRuns() throws Exception {
        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    }

    @AfterAll
    static void stop() throws Exception {
        job.cancel().get(30, TimeUnit.SECONDS);
        server.stop(0);
        producer.close();
        f.close();
    }

    @Test
    void aFileUriRegistersTheAssetAndTheSameKeyAgainIsADuplicateThatCreatesNothing() throws Exception {
        Path file = f.sine("song", 440, 1.0, 0.5);
        publish("k-file", """
                {"version":1,"account_id":"%s","uri":"%s","filename":"Song One.wav","idempotency_key":"k-file",
                 "metadata":{"title":"Song One","artist":"The Band","isrc":"US-RC1-76-07839","catalog_no":"LBL-001"}}"""
                .formatted(account, file.toUri()));

        IngestOutcome first = awaitOutcomes("k-file", 1).get(0);
        assertThat(first.status()).isEqualTo(IngestOutcome.REGISTERED);
        assertThat(first.error()).isNull();
        assertThat(first.accountId()).isEqualTo(account.toString());
        assertThat(f.scalar("SELECT sha256 FROM assets WHERE id = ?::uuid", first.assetId())).isEqualTo(first.sha256());
        assertThat(f.scalar("SELECT concat_ws(' ', status, round(duration_seconds::numeric, 3), container, codec, sample_rate, "
                + "channels) FROM assets WHERE id = ?::uuid", first.assetId()))
                .as("probed in the registration's transaction, as an upload is").isEqualTo("ready 1.000 wav pcm_s16le 22050 1");
        assertThat(f.scalar("SELECT method || ' ' || filename || ' ' || (metadata ->> 'isrc') || ' ' || (metadata ->> 'catalog_no') "
                + "FROM assets WHERE id = ?::uuid", first.assetId())).isEqualTo("file Song One.wav USRC17607839 LBL-001");
        assertThat(f.scalar("SELECT asset_id::text || ' ' || status FROM jobs WHERE id = ?::uuid", first.jobId()))
                .isEqualTo(first.assetId() + " queued");
        assertThat(f.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.assets.v1' AND key = ?", first.sha256())).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM assets WHERE id = ?::uuid AND expires_at - created_at = interval '7 days'", first.assetId()))
                .as("a pro account's asset lives 7 days").isEqualTo(1);
        assertThat(f.scalar("SELECT payload::text FROM outbox WHERE topic = 'tonearm.requests.v1' AND key = ?", first.sha256()))
                .contains(first.jobId(), "\"name\": \"bpm\"", "\"name\": \"chords\"");
        long assets = f.count("SELECT count(*) FROM assets");
        long jobs = f.count("SELECT count(*) FROM jobs");
        long outbox = f.count("SELECT count(*) FROM outbox");

        // The same key again, even naming other bytes: the first command's asset and job, nothing new.
        Path other = f.sine("other", 660, 1.0, 0.5);
        publish("k-file", """
                {"version":1,"account_id":"%s","uri":"%s","idempotency_key":"k-file"}""".formatted(account, other.toUri()));
        IngestOutcome again = awaitOutcomes("k-file", 2).get(1);
        assertThat(again.status()).isEqualTo(IngestOutcome.DUPLICATE);
        assertThat(again.assetId()).isEqualTo(first.assetId());
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertThat(f.count("SELECT count(*) FROM assets")).isEqualTo(assets);
        assertThat(f.count("SELECT count(*) FROM jobs")).isEqualTo(jobs);
        assertThat(f.count("SELECT count(*) FROM outbox")).isEqualTo(outbox);
    }

    @Test
    void malformedCommandsAreReportedWithTheirPositionAndReason() throws Exception {
        RecordMetadata at = send("bad-json", "{\"version\":1,\"account_id\":");
        IngestOutcome notJson = awaitOutcomes("the malformed record", o -> o.source() != null
                && o.source().offset() == at.offset() && o.source().partition() == at.partition(), 1).get(0);
        assertThat(notJson.status()).isEqualTo(IngestOutcome.MALFORMED);
        assertThat(notJson.source().topic()).isEqualTo(commands);
        assertThat(notJson.error().code()).isEqualTo("malformed_command");
        assertThat(notJson.error().message()).contains("IngestCommand");

        RecordMetadata tombstone = producer.send(new ProducerRecord<>(commands, "no-value".getBytes(StandardCharsets.UTF_8), null))
                .get(10, TimeUnit.SECONDS);
        assertThat(awaitOutcomes("the record without a value", o -> o.source() != null
                && o.source().offset() == tombstone.offset() && o.source().partition() == tombstone.partition(), 1).get(0).status())
                .isEqualTo(IngestOutcome.MALFORMED);

        publish("k-both", """
                {"version":1,"account_id":"%s","uri":"file:///a.wav","url":"https://example.com/a.wav","idempotency_key":"k-both"}"""
                .formatted(account));
        publish("k-neither", """
                {"version":1,"account_id":"%s","idempotency_key":"k-neither"}""".formatted(account));
        publish("k-no-account", """
                {"version":1,"uri":"file:///a.wav","idempotency_key":"k-no-account"}""");
        assertThat(awaitOutcomes("k-both", 1).get(0)).satisfies(o -> assertThat(o.status()).isEqualTo("malformed"))
                .satisfies(o -> assertThat(o.error().message()).contains("not both"))
                .satisfies(o -> assertThat(o.source().topic()).isEqualTo(commands));
        assertThat(awaitOutcomes("k-neither", 1).get(0).error().message()).contains("neither");
        assertThat(awaitOutcomes("k-no-account", 1).get(0).error().message()).isEqualTo("account_id is missing");
        assertThat(f.count("SELECT count(*) FROM jobs WHERE idempotency_key IN "
                + "('tonearm-ingest:k-both', 'tonearm-ingest:k-neither', 'tonearm-ingest:k-no-account')")).isZero();
    }

    @Test
    void undecodableBytesMakeAFailedAssetWithTheDecodersReasonAndNoRequest() throws Exception {
        Path broken = f.undecodableMp3(files, "undecodable");
        long charges = f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account);
        publish("k-undecodable", fileCommand(account, "k-undecodable", broken));

        IngestOutcome o = awaitOutcomes("k-undecodable", 1).get(0);
        assertThat(o.status()).isEqualTo(IngestOutcome.FAILED);
        assertThat(o.error().code()).startsWith("undecodable_audio.");
        assertThat(o.sha256()).isEqualTo(io.tonearm.analysis.run.AnalysisRunner.sha256(broken));
        assertThat(o.jobId()).isNull();
        assertThat(f.scalar("SELECT status || ' ' || error_code || ': ' || error_message FROM assets WHERE id = ?::uuid", o.assetId()))
                .as("the asset named in the outcome is failed with the decoder's reason, as an undecodable upload")
                .isEqualTo("failed " + o.error().code() + ": " + o.error().message());
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ? AND idempotency_key = 'tonearm-ingest:k-undecodable'", account))
                .as("no request").isZero();
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account))
                .as("no charge").isEqualTo(charges);
    }

    @Test
    void anUnknownAccountAnUnreadableFileAndBytesThatAreNotAudioFail() throws Exception {
        Path file = f.sine("orphan", 330, 1.0, 0.5);
        Path text = Files.writeString(files.resolve("notes.wav"), "a text file with an audio name");
        publish("k-stranger", """
                {"version":1,"account_id":"%s","uri":"%s","idempotency_key":"k-stranger"}""".formatted(UUID.randomUUID(), file.toUri()));
        publish("k-missing", """
                {"version":1,"account_id":"%s","uri":"%s","idempotency_key":"k-missing"}"""
                .formatted(account, files.resolve("does-not-exist.wav").toUri()));
        publish("k-text", """
                {"version":1,"account_id":"%s","uri":"%s","idempotency_key":"k-text"}""".formatted(account, text.toUri()));

        assertThat(awaitOutcomes("k-stranger", 1).get(0)).satisfies(o -> assertThat(o.status()).isEqualTo("failed"))
                .satisfies(o -> assertThat(o.error().code()).isEqualTo("unknown_account"));
        assertThat(awaitOutcomes("k-missing", 1).get(0)).satisfies(o -> assertThat(o.status()).isEqualTo("failed"))
                .satisfies(o -> assertThat(o.error().code()).isEqualTo("unreadable"))
                .satisfies(o -> assertThat(o.error().message()).contains("does-not-exist.wav"));
        assertThat(awaitOutcomes("k-text", 1).get(0)).satisfies(o -> assertThat(o.status()).isEqualTo("failed"))
                .satisfies(o -> assertThat(o.error().code()).isEqualTo("not_audio"));
        assertThat(f.count("SELECT count(*) FROM assets WHERE sha256 = ?", io.tonearm.analysis.run.AnalysisRunner.sha256(file)))
                .as("nothing registered for an unknown account").isZero();
    }

    @Test
    void hostileUrlsAreRefusedAndAnAllowListedServerIsFetched() throws Exception {
        int port = server.getAddress().getPort();
        publish("k-loopback", urlCommand("k-loopback", "http://127.0.0.1:" + (port == 9 ? 10 : 9) + "/a.wav"));
        publish("k-metadata", urlCommand("k-metadata", "http://169.254.169.254/latest/meta-data/a.wav"));
        publish("k-localhost", urlCommand("k-localhost", "http://localhost:" + port + "/catalog/served.wav"));
        publish("k-ftp", urlCommand("k-ftp", "ftp://example.com/a.wav"));
        publish("k-served", urlCommand("k-served", "http://127.0.0.1:" + port + "/catalog/served.wav"));

        for (String key : List.of("k-loopback", "k-metadata", "k-localhost")) {
            assertThat(awaitOutcomes(key, 1).get(0)).as(key)
                    .satisfies(o -> assertThat(o.status()).isEqualTo("failed"))
                    .satisfies(o -> assertThat(o.error().code()).isEqualTo("url_forbidden"));
        }
        assertThat(awaitOutcomes("k-ftp", 1).get(0).error()).satisfies(e -> assertThat(e.code()).isEqualTo("bad_url"))
                .satisfies(e -> assertThat(e.message()).contains("http and https"));
        IngestOutcome served = awaitOutcomes("k-served", 1).get(0);
        assertThat(served.status()).isEqualTo(IngestOutcome.REGISTERED);
        assertThat(f.scalar("SELECT method || ' ' || filename || ' ' || content_type FROM assets WHERE id = ?::uuid", served.assetId()))
                .isEqualTo("url served.wav audio/wav");
        assertThat(f.count("SELECT count(*) FROM jobs WHERE idempotency_key IN "
                + "('tonearm-ingest:k-loopback', 'tonearm-ingest:k-metadata', 'tonearm-ingest:k-localhost')")).isZero();
    }

    @Test
    void aBasicAccountPaysEachRequestOnceAndIsRefusedWhenItsCreditsRunOut() throws Exception {
        UUID basic = f.account("basic");
        Path one = f.sine("basic-one", 240, 1.0, 0.5);
        Path two = f.sine("basic-two", 250, 1.0, 0.5);
        publish("k-basic-1", fileCommand(basic, "k-basic-1", one));
        IngestOutcome paid = awaitOutcomes("k-basic-1", 1).get(0);
        assertThat(paid.status()).isEqualTo(IngestOutcome.REGISTERED);
        assertThat(f.count("SELECT count(*) FROM assets WHERE id = ?::uuid AND expires_at - created_at = interval '24 hours'", paid.assetId()))
                .as("a basic account's asset lives 24 h").isEqualTo(1);
        assertThat(f.scalar("SELECT endpoint || ' ' || amount FROM credit_ledger WHERE kind = 'charge' AND charge_key = ?", paid.jobId()))
                .as("paid under the job's id what the API charges for bpm, beatgrid, key, lufs and chords")
                .isEqualTo("registration:bpm,beatgrid,key,loudness-ebur128,chords -14");
        assertThat(f.count("SELECT credits FROM accounts WHERE id = ?", basic)).isZero();

        publish("k-basic-2", fileCommand(basic, "k-basic-2", two));
        assertThat(awaitOutcomes("k-basic-2", 1).get(0)).satisfies(o -> assertThat(o.status()).isEqualTo("failed"))
                .satisfies(o -> assertThat(o.error().code()).isEqualTo("insufficient_credits"))
                .satisfies(o -> assertThat(o.error().message()).contains("costs 14 credits"));
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ?", basic)).as("nothing registered").isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ? AND idempotency_key = 'tonearm-ingest:k-basic-2'", basic)).isZero();

        // What a failover does at worst: every command read again from the start. The paid one is a duplicate, no
        // second charge; the refused one is refused again (the balance is still 0).
        String replayed = "ingest-replayed-" + f.suffix;
        f.kafka.createTopics(1, replayed);
        JobClient replay = run("ingest-replay-" + f.suffix, replayed, 1);
        try {
            List<IngestOutcome> again = new ArrayList<>();
            await("the replay's outcomes for both", Duration.ofSeconds(60), () -> {
                again.clear();
                runner.outcomes(replayed).stream().filter(o -> o.idempotencyKey() != null && o.idempotencyKey().startsWith("k-basic-"))
                        .forEach(again::add);
                return again.size() >= 2;
            });
            assertThat(again).filteredOn(o -> o.idempotencyKey().equals("k-basic-1")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(IngestOutcome.DUPLICATE))
                    .satisfies(o -> assertThat(o.jobId()).isEqualTo(paid.jobId()));
            assertThat(again).filteredOn(o -> o.idempotencyKey().equals("k-basic-2")).singleElement()
                    .satisfies(o -> assertThat(o.error().code()).isEqualTo("insufficient_credits"));
        } finally {
            replay.cancel().get(30, TimeUnit.SECONDS);
        }
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", basic)).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", basic)).isEqualTo(1);

        // Once credits exist, the same key goes through.
        f.topUp(basic, 14);
        publish("k-basic-2", fileCommand(basic, "k-basic-2", two));
        assertThat(awaitOutcomes("k-basic-2", 2).get(1).status()).isEqualTo(IngestOutcome.REGISTERED);
        assertThat(f.count("SELECT credits FROM accounts WHERE id = ?", basic)).isZero();
    }

    private static String fileCommand(UUID owner, String key, Path file) {
        return "{\"version\":1,\"account_id\":\"" + owner + "\",\"uri\":\"" + file.toUri() + "\",\"idempotency_key\":\"" + key + "\"}";
    }

    private static String urlCommand(String key, String url) {
        return """
                {"version":1,"account_id":"%s","url":"%s","idempotency_key":"%s"}""".formatted(account, url, key);
    }

    private static void publish(String key, String json) throws Exception {
        send(key, json);
    }

    /** Publishes and returns where the record landed. */
    private static RecordMetadata send(String key, String json) throws Exception {
        return producer.send(new ProducerRecord<>(commands, key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)))
                .get(10, TimeUnit.SECONDS);
    }

    private static List<IngestOutcome> awaitOutcomes(String key, int n) throws InterruptedException {
        return awaitOutcomes(key, o -> key.equals(o.idempotencyKey()), n);
    }

    private static List<IngestOutcome> awaitOutcomes(String what, java.util.function.Predicate<IngestOutcome> which, int n)
            throws InterruptedException {
        List<IngestOutcome> found = new ArrayList<>();
        await(n + " outcome(s) for " + what, Duration.ofSeconds(60), () -> {
            found.clear();
            outcomes().stream().filter(which).forEach(found::add);
            return found.size() >= n;
        });
        assertThat(found).hasSize(n);
        return found;
    }

    /** Every outcome committed on the results topic, in partition order. */
    private static List<IngestOutcome> outcomes() {
        return runner.outcomes(results);
    }
}
