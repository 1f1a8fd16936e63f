package io.tonearm.launcher.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.EventCodec;
import io.tonearm.events.Topics;
import io.tonearm.launcher.Tonearm;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack as {@code tonearm up} runs it, end to end, on one data dir: started in-process (free ports), a key
 * made by {@code tonearm keys create} while it runs, a folder ingested twice (the second run uploads nothing), a
 * bucket watched by the catalog scan ({@code up --watch s3://…} on the shared S3Proxy, through Flink's S3 plugin)
 * whose two objects are registered once each for the {@code catalog} account and analyzed (the standard set's result
 * rows; bpm, key and loudness through the API), an ingest command on {@code tonearm.ingest.v1} answered on the results topic
 * and analyzed, a synthesized sine and a synthesized 120 BPM A major loop uploaded and analyzed by the running job (loudness,
 * tempo, key; requested through the outbox the way the API will once it has analysis endpoints) and indexed in
 * Elasticsearch, the stack stopped with no process left; then {@code tonearm up}
 * started again as a real process on the same data dir ({@code tonearm up --watch s3://…}, credentials in the
 * environment), where the asset, the key and the result are still there, the bucket's known objects are not
 * registered again and one put meanwhile is, stopped by SIGTERM with no orphan; finally {@code keys create} and {@code credits show} on the stopped data dir
 * (a {@code credits add} top-up reaches the running stack too).
 *
 * <p>Two stack starts (the restart is the point), each paying Elasticsearch's 30–70 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** 997 Hz at -12.04 dBFS peak: BS.1770 gives -15.05 LUFS (a full-scale sine is -3.01). */
    private static final double EXPECTED_LUFS = 20 * Math.log10(0.25) - 3.01;

    private static Path dataDir;
    private static Stack stack;
    private static final List<String> partsUp = new ArrayList<>();
    private static String defaultKey;
    private static String ingestKey;
    private static String assetId;
    private static String sha256;
    private static String musicSha256;
    private static Path audio;
    private static Path watched;
    private static final String CATALOG_BUCKET = "e2e-catalog";
    private static S3Server s3;
    private static S3Client s3Client;
    private static String watchedPrefix;
    /** {@code s3://e2e-catalog/PREFIX?endpoint=…&path_style=true}: the bucket as {@code --watch} takes it. */
    private static String watchedLocation;
    private static final String CATALOG_ACCOUNT = "(SELECT id FROM accounts WHERE name = ?)";
    /** Children of this JVM before the stack starts: servers other test classes share (LocalStack.shared()) live on. */
    private static java.util.Set<Long> childrenBefore;

    @BeforeAll
    static void start() throws IOException {
        s3 = LocalStack.shared().s3(); // before the children are counted: the JVM's shared S3Proxy outlives the stack
        childrenBefore = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
        dataDir = Files.createTempDirectory("tonearm-up-e2e-");
        audio = Files.createTempDirectory("tonearm-up-audio-");
        watched = Files.createTempDirectory("tonearm-up-watched-");
        s3.createBucket(CATALOG_BUCKET);
        s3Client = S3Client.builder().httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create(s3.endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build();
        watchedPrefix = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        watchedLocation = s3.location(CATALOG_BUCKET, watchedPrefix);
        putObject("loop.wav", TestAudio.music120InAMajor(watched.resolve("loop.wav"), 12));
        putObject("album/tone.wav", TestAudio.sine(watched.resolve("tone.wav"), 997, 0.25, 4));
        long t0 = System.nanoTime();
        stack = Stack.start(StackConfig.derived(dataDir, 0).withWatch(StackConfig.Watch.of(watchedLocation, null)),
                new Stack.Listener() {
            @Override
            public void partUp(String part, String detail, Duration took) {
                synchronized (partsUp) {
                    partsUp.add(part);
                }
            }
        });
        System.out.printf("stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        defaultKey = stack.apiKey();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (stack != null) {
            stack.close();
        }
        if (s3Client != null) {
            s3Client.close();
        }
        for (Path p : new Path[] {audio, watched, dataDir}) {
            if (p != null) {
                try (var files = Files.walk(p)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void everyPartIsUpAndHealthSaysSo() throws Exception {
        assertThat(partsUp).containsExactlyInAnyOrder("postgres", "kafka", "elasticsearch", "analysis job", "kafka ingestion", "catalog scan", "api");
        HttpResponse<String> health = get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode checks = Json.mapper().readTree(health.body()).path("checks");
        for (String part : List.of("postgres", "kafka", "elasticsearch", "analysis_job", "blob_store")) {
            assertThat(checks.path(part).asText()).as(part).isEqualTo("up");
        }
        assertThat(Files.readString(dataDir.resolve("api-key")).strip()).isEqualTo(defaultKey);
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("api-key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(StackState.read(dataDir)).get().satisfies(s -> assertThat(s.apiUrl()).isEqualTo(stack.apiUrl()));
    }

    @Test
    @Order(2)
    void keysCreateReachesTheRunningStack() throws Exception {
        Run run = tonearm("keys", "create", "--account", "catalog-team", "--plan", "pro", "--data-dir", dataDir.toString());
        assertThat(run.exit).as(run.err).isZero();
        ingestKey = run.out.strip();
        assertThat(ingestKey).startsWith("tnk_");
        assertThat(run.err).contains("running tonearm up");
        JsonNode account = Json.mapper().readTree(get("/v1/account", ingestKey).body());
        assertThat(account.path("name").asText()).isEqualTo("catalog-team");
        assertThat(account.path("plan").asText()).isEqualTo("pro");

        Run again = tonearm("keys", "create", "--account", "catalog-team", "--data-dir", dataDir.toString());
        assertThat(again.exit).isZero();
        JsonNode same = Json.mapper().readTree(get("/v1/account", again.out.strip()).body());
        assertThat(same.path("account_id").asText()).isEqualTo(account.path("account_id").asText());

        Run topUp = tonearm("credits", "add", "--account", "catalog-team", "--credits", "1000", "--key", "e2e-invoice",
                "--data-dir", dataDir.toString());
        assertThat(topUp.exit).as(topUp.err).isZero();
        assertThat(topUp.err).contains("running tonearm up");
        JsonNode topped = Json.mapper().readTree(get("/v1/account", ingestKey).body());
        assertThat(topped.path("credits").asLong()).isEqualTo(account.path("credits").asLong() + 1000);
        assertThat(topped.path("credit_usage").path("topped_up").asLong()).isEqualTo(1000);
    }

    @Test
    @Order(3)
    void ingestUploadsAFolderOnceAndResumes() throws Exception {
        Path folder = Files.createDirectories(audio.resolve("catalog/album"));
        TestAudio.sine(folder.resolve("a.wav"), 440, 0.5, 2);
        TestAudio.sine(folder.resolve("b.wav"), 550, 0.5, 2);
        TestAudio.sine(audio.resolve("catalog/c.wav"), 660, 0.5, 2);
        Files.writeString(audio.resolve("catalog/notes.mp3"), "<html>not audio</html>");
        Files.writeString(audio.resolve("catalog/readme.txt"), "ignored");
        Path state = audio.resolve("ingest-state.jsonl");
        String[] args = {"ingest", audio.resolve("catalog").toString(), "--api", stack.apiUrl(), "--key", ingestKey,
                "--concurrency", "2", "--state", state.toString()};

        Run first = tonearm(args);
        assertThat(first.exit).as(first.out + first.err).isZero();
        assertThat(first.out).containsPattern("uploaded \\(new\\)\\s+3 ").containsPattern("skipped \\(not audio\\)\\s+1 ")
                .containsPattern("failed\\s+0 ");
        assertThat(Json.mapper().readTree(get("/v1/assets", ingestKey).body()).path("count").asLong()).isEqualTo(3);

        Run second = tonearm(args);
        assertThat(second.exit).isZero();
        assertThat(second.out).containsPattern("uploaded \\(new\\)\\s+0 ").containsPattern("skipped \\(done earlier\\)\\s+3 ");

        // Without the local state the server's SHA-256 dedup answers: nothing new is stored.
        Files.delete(state);
        Run third = tonearm(args);
        assertThat(third.exit).isZero();
        assertThat(third.out).containsPattern("already stored \\(server dedup\\)\\s+3 ");
        assertThat(Json.mapper().readTree(get("/v1/assets", ingestKey).body()).path("count").asLong()).isEqualTo(3);
    }

    @Test
    @Order(4)
    void uploadsAreAnalyzedByTheRunningJob() throws Exception {
        Path tone = TestAudio.sine(audio.resolve("tone.wav"), 997, 0.25, 6);
        JsonNode asset = upload(tone);
        assetId = asset.path("asset_id").asText();
        sha256 = AnalysisRunner.sha256(tone);
        assertThat(asset.path("sha256").asText()).isEqualTo(sha256);
        assertReadable(stack.apiUrl());
        Path music = TestAudio.music120InAMajor(audio.resolve("music.wav"), 20);
        JsonNode musicAsset = upload(music);
        musicSha256 = musicAsset.path("sha256").asText();

        UUID toneJob = request(stack.jdbcUrl(), stack.dbUser(), UUID.fromString(assetId), sha256, "loudness-ebur128");
        UUID musicJob = request(stack.jdbcUrl(), stack.dbUser(), UUID.fromString(musicAsset.path("asset_id").asText()),
                musicSha256, "bpm", "key");
        assertResults(stack.jdbcUrl(), stack.dbUser(), Duration.ofMinutes(3));
        for (UUID job : List.of(toneJob, musicJob)) {
            assertThat(scalar(stack.jdbcUrl(), stack.dbUser(), "SELECT status FROM jobs WHERE id = ?", job)).isEqualTo("succeeded");
        }
        // The job's search sink indexes one document per asset in the running Elasticsearch.
        awaitSearchDocuments(stack.elasticsearchUrl(), 2, Duration.ofMinutes(1));
    }

    @Test
    @Order(5)
    void theWatchedBucketIsRegisteredOnceForTheCatalogAccountAndAnalyzed() throws Exception {
        Run run = tonearm("keys", "create", "--account", StackConfig.Watch.DEFAULT_ACCOUNT, "--data-dir", dataDir.toString());
        assertThat(run.exit).as(run.err).isZero();
        String key = run.out.strip();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode list;
        do {
            list = Json.mapper().readTree(get("/v1/assets", key).body());
            Thread.sleep(list.path("count").asLong() < 2 ? 500 : 0);
        } while (list.path("count").asLong() < 2 && System.nanoTime() < deadline);
        assertThat(list.path("items")).extracting(a -> a.path("filename").asText()).containsExactlyInAnyOrder("loop.wav", "tone.wav");
        String loop = null;
        String tone = null;
        for (JsonNode a : list.path("items")) {
            if (a.path("filename").asText().equals("loop.wav")) loop = a.path("id").asText();
            else tone = a.path("id").asText();
        }
        // The standard set was requested at registration; once it is stored these answer at once.
        JsonNode bpm = awaitProcessed("bpm", loop, key);
        assertThat(bpm.path("tempo").asDouble()).isBetween(118.0, 122.0);
        JsonNode musicKey = awaitProcessed("key", loop, key);
        assertThat(musicKey.path("key").asText() + " " + musicKey.path("mode").asText()).isEqualTo("A major");
        JsonNode lufs = awaitProcessed("lufs", tone, key);
        assertThat(lufs.path("integrated_lufs").asDouble()).isBetween(EXPECTED_LUFS - 0.5, EXPECTED_LUFS + 0.5);

        // Every object once (listed every 5 s meanwhile), with the standard set requested and a succeeded result row
        // stored for each of its analyzers (the bare sine's bpm has no tempo in it, but it ran).
        for (String file : List.of("loop.wav", "tone.wav")) {
            assertThat(awaitStandardSetRows(AnalysisRunner.sha256(watched.resolve(file)))).as(file)
                    .allSatisfy((analyzer, status) -> assertThat(status).isEqualTo("succeeded"));
        }
        assertThat(catalogAssets(stack.jdbcUrl(), stack.dbUser())).isEqualTo(2);
        assertThat(catalogRegistrations(stack.jdbcUrl(), stack.dbUser())).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aCommandOnTheIngestTopicIsRegisteredAnsweredAndAnalyzed() throws Exception {
        Path tone = TestAudio.sine(audio.resolve("from-kafka.wav"), 997, 0.25, 3);
        Run run = tonearm("keys", "create", "--account", "kafka-label", "--data-dir", dataDir.toString());
        assertThat(run.exit).as(run.err).isZero();
        String key = run.out.strip();
        String account;
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), null);
             PreparedStatement ps = c.prepareStatement("SELECT id FROM accounts WHERE name = 'kafka-label'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            account = rs.getString(1);
        }
        java.util.Map<String, Object> kafka = java.util.Map.of("bootstrap.servers", stack.kafkaBootstrapServers());
        String command = "{\"version\":1,\"account_id\":\"" + account + "\",\"uri\":\"" + tone.toUri()
                + "\",\"metadata\":{\"title\":\"From Kafka\"},\"idempotency_key\":\"e2e-1\"}";
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(kafka,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.INGEST, "e2e-1", command)).get(30, TimeUnit.SECONDS);
        }
        io.tonearm.events.IngestOutcome outcome = null;
        java.util.Map<String, Object> consumer = java.util.Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "e2e-" + UUID.randomUUID());
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumer,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.RESULTS));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (outcome == null && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    if (EventCodec.resultType(r.value()).equals(io.tonearm.events.IngestOutcome.TYPE)) {
                        outcome = EventCodec.decodeIngestOutcome(r.value());
                    }
                }
            }
        }
        assertThat(outcome).as("an outcome on " + Topics.RESULTS).isNotNull();
        assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("registered");
        assertThat(outcome.idempotencyKey()).isEqualTo("e2e-1");
        JsonNode asset = Json.mapper().readTree(get("/v1/assets/" + outcome.assetId(), key).body());
        assertThat(asset.path("filename").asText()).isEqualTo("from-kafka.wav");
        JsonNode lufs = awaitProcessed("lufs", outcome.assetId(), key);
        assertThat(lufs.path("integrated_lufs").asDouble()).isBetween(EXPECTED_LUFS - 0.5, EXPECTED_LUFS + 0.5);
    }

    /** POST /v1/{endpoint} until it answers 200 (the registration's standard-set job may still run: 202 then). */
    private static JsonNode awaitProcessed(String endpoint, String assetId, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/" + endpoint))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + assetId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return Json.mapper().readTree(r.body());
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(System.nanoTime()).as("no %s result for %s", endpoint, assetId).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    @Test
    @Order(7)
    void closeLeavesNoProcessBehind() {
        long t = System.nanoTime();
        stack.close();
        System.out.printf("stack stopped in %.1f s%n", (System.nanoTime() - t) / 1e9);
        stack = null;
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> !childrenBefore.contains(p.pid())).toList()).isEmpty();
        assertThat(processesUsing(dataDir)).isEmpty();
        assertThat(StackState.read(dataDir)).isEmpty();
    }

    @Test
    @Order(8)
    void tonearmUpRestartsOnTheSameDataAndStopsOnSigterm() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("tonearm.project.dir", "tonearm.es.home")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of(Tonearm.class.getName(), "up", "--port", "0", "--data-dir", dataDir.toString(),
                "--watch", watchedLocation));
        // Put while the stack was down: the restarted scan registers it; the two it knows from its savepoint, not again.
        Path late = TestAudio.sine(watched.resolve("late.wav"), 660, 0.25, 2);
        putObject("late.wav", late);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", s3.accessKey());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        Process up = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            String apiUrl = null;
            StringBuilder transcript = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertThat(up.isAlive()).as(transcript.toString()).isTrue();
                    continue;
                }
                transcript.append(line).append('\n');
                if (line.startsWith("API key:")) {
                    assertThat(line).contains(defaultKey); // the same key after a restart
                }
                if (line.startsWith("API:")) {
                    apiUrl = line.substring(4).strip();
                }
                if (line.startsWith("All parts up")) {
                    break;
                }
            }
            assertThat(apiUrl).as(transcript.toString()).isNotNull();
            assertThat(transcript).contains("All parts up")
                    .contains("catalog scan").contains("s3://" + CATALOG_BUCKET + "/" + watchedPrefix + " at " + s3.endpoint());
            assertThat(Files.readString(dataDir.resolve("logs/tonearm.log"))).contains("resuming from");
            assertReadable(apiUrl);
            assertThat(Json.mapper().readTree(get(apiUrl, "/v1/assets", ingestKey).body()).path("count").asLong()).isEqualTo(3);
            StackState state = StackState.read(dataDir).orElseThrow();
            assertThat(state.pid()).isEqualTo(up.pid());
            assertResults(state.jdbcUrl(), state.dbUser(), Duration.ofSeconds(5));
            awaitSearchDocuments(state.elasticsearch(), 2, Duration.ofSeconds(30));
            awaitResult(state.jdbcUrl(), state.dbUser(), AnalysisRunner.sha256(late), "loudness-ebur128", "integrated_lufs",
                    Duration.ofMinutes(1));
            assertThat(catalogAssets(state.jdbcUrl(), state.dbUser())).isEqualTo(3);
            assertThat(catalogRegistrations(state.jdbcUrl(), state.dbUser())).isEqualTo(3);

            List<ProcessHandle> children = up.descendants().toList();
            assertThat(children).as("Elasticsearch runs as a child").isNotEmpty();
            up.destroy(); // SIGTERM
            assertThat(up.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(up.exitValue()).isZero();
            for (ProcessHandle child : children) {
                assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
            }
            assertThat(processesUsing(dataDir)).isEmpty();
        } finally {
            if (up.isAlive()) {
                up.destroyForcibly();
            }
        }
    }

    @Test
    @Order(9)
    void keysCreateStartsTheDataDirsDatabaseWhenUpIsNotRunning() throws Exception {
        Run run = tonearm("keys", "create", "--account", "late-comer", "--data-dir", dataDir.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.strip()).startsWith("tnk_");
        assertThat(run.err).contains("started for this command");
        assertThat(processesUsing(dataDir)).isEmpty();

        Run show = tonearm("credits", "show", "--account", "catalog-team", "--data-dir", dataDir.toString());
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).containsPattern("top-ups +1 +\\+1000");
        assertThat(show.err).contains("started for this command");
        assertThat(processesUsing(dataDir)).isEmpty();
    }

    // ---- helpers

    private static void putObject(String key, Path file) {
        s3Client.putObject(r -> r.bucket(CATALOG_BUCKET).key(watchedPrefix + "/" + key), RequestBody.fromFile(file));
    }

    /** The assets of the account {@code --watch} registers for. */
    private static long catalogAssets(String jdbcUrl, String user) throws SQLException {
        return Long.parseLong(scalar(jdbcUrl, user, "SELECT count(*) FROM assets WHERE account_id = " + CATALOG_ACCOUNT,
                StackConfig.Watch.DEFAULT_ACCOUNT));
    }

    /** Its jobs requested when a recording was registered (not those of its API requests). */
    private static long catalogRegistrations(String jdbcUrl, String user) throws SQLException {
        return Long.parseLong(scalar(jdbcUrl, user, "SELECT count(*) FROM jobs WHERE idempotency_key LIKE"
                + " 'tonearm-registration:%' AND account_id = " + CATALOG_ACCOUNT, StackConfig.Watch.DEFAULT_ACCOUNT));
    }

    /** Analyzer → status of the standard set's result rows for {@code sha}, once there is one for every analyzer. */
    private static Map<String, String> awaitStandardSetRows(String sha) throws Exception {
        List<String> standardSet = List.of("bpm", "beatgrid", "key", "loudness-ebur128", "chords");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            Map<String, String> rows = new java.util.TreeMap<>();
            try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), null);
                 PreparedStatement ps = c.prepareStatement("SELECT analyzer, status FROM analysis_results WHERE sha256 = ?")) {
                ps.setString(1, sha);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            rows.keySet().retainAll(standardSet);
            if (rows.size() == standardSet.size()) {
                return rows;
            }
            assertThat(System.nanoTime()).as("standard-set rows of %s: %s", sha, rows).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run tonearm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Tonearm());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertReadable(String apiUrl) throws Exception {
        HttpResponse<String> read = get(apiUrl, "/v1/assets/" + assetId, defaultKey);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode a = Json.mapper().readTree(read.body());
        assertThat(a.path("sha256").asText()).isEqualTo(sha256);
        assertThat(a.path("status").asText()).isEqualTo("ready");
        assertThat(a.path("sample_rate").asInt()).isEqualTo(44100);
        assertThat(a.path("duration").asDouble()).isBetween(5.9, 6.1);
    }

    private static JsonNode upload(Path wav) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/assets/upload?filename="
                        + wav.getFileName())).header("Authorization", "Bearer " + defaultKey).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofFile(wav)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        return Json.mapper().readTree(r.body());
    }

    /** What the API's analysis endpoint will do (issue 6): a queued job and its event, in one transaction. */
    private static UUID request(String jdbcUrl, String user, UUID asset, String sha, String... analyzers) throws SQLException {
        UUID job = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, null)) {
            c.setAutoCommit(false);
            UUID account;
            try (PreparedStatement ps = c.prepareStatement("SELECT account_id FROM assets WHERE id = ?")) {
                ps.setObject(1, asset);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    account = rs.getObject(1, UUID.class);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO jobs (id, account_id, asset_id, kind, status) VALUES (?, ?, ?, 'analysis', 'queued')")) {
                ps.setObject(1, job);
                ps.setObject(2, account);
                ps.setObject(3, asset);
                ps.executeUpdate();
            }
            List<AnalysisRequested.AnalyzerRequest> wanted = new ArrayList<>();
            for (String a : analyzers) {
                wanted.add(new AnalysisRequested.AnalyzerRequest(a, null, null));
            }
            AnalysisRequested event = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, job, account, asset, sha,
                    wanted, Instant.now());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (topic, key, payload) VALUES (?, ?, ?::jsonb)")) {
                ps.setString(1, Topics.REQUESTS);
                ps.setString(2, sha);
                ps.setString(3, EventCodec.encodeToString(event));
                ps.executeUpdate();
            }
            c.commit();
        }
        return job;
    }

    /** Loudness of the sine against BS.1770's closed form; tempo and key of the synthesized 120 BPM A major. */
    private static void assertResults(String jdbcUrl, String user, Duration timeout) throws Exception {
        double lufs = Double.parseDouble(awaitResult(jdbcUrl, user, sha256, "loudness-ebur128", "integrated_lufs", timeout));
        assertThat(lufs).isBetween(EXPECTED_LUFS - 0.5, EXPECTED_LUFS + 0.5);
        double bpm = Double.parseDouble(awaitResult(jdbcUrl, user, musicSha256, "bpm", "tempo", timeout));
        assertThat(bpm).isBetween(118.0, 122.0);
        assertThat(awaitResult(jdbcUrl, user, musicSha256, "key", "key", timeout)).isEqualTo("A");
        assertThat(awaitResult(jdbcUrl, user, musicSha256, "key", "mode", timeout)).isEqualTo("major");
        System.out.printf("results: %.2f LUFS (expected %.2f), %.2f BPM, A major%n", lufs, EXPECTED_LUFS, bpm);
    }

    private static String awaitResult(String jdbcUrl, String user, String sha, String analyzer, String field,
                                      Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String v = scalar(jdbcUrl, user, "SELECT envelope->'results'->>'" + field + "' FROM analysis_results"
                    + " WHERE sha256 = ? AND analyzer = '" + analyzer + "' AND status = 'succeeded'", sha);
            if (v != null) {
                return v;
            }
            assertThat(System.nanoTime()).as("no %s result within %s", analyzer, timeout).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void awaitSearchDocuments(String elasticsearch, long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(elasticsearch + "/tonearm-search/_count"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                count = Json.mapper().readTree(r.body()).path("count").asLong();
                if (count >= atLeast) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        assertThat(count).as("search documents").isGreaterThanOrEqualTo(atLeast);
    }

    private static String scalar(String jdbcUrl, String user, String sql, Object arg) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, null);
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Live processes whose command line names the data dir (postmaster, Elasticsearch, a leftover tonearm up). */
    private static List<String> processesUsing(Path dir) {
        String needle = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return get(stack.apiUrl(), path, key);
    }

    private static HttpResponse<String> get(String apiUrl, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
