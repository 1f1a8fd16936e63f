package io.tonearm.pipeline.analysis;

import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.AnalysisCompleted;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.pipeline.TopicRecord;
import io.tonearm.pipeline.analysis.output.KafkaCompletions;
import io.tonearm.pipeline.analysis.source.Inbound;
import io.tonearm.pipeline.analysis.source.KafkaInbound;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import io.tonearm.sinks.postgres.PostgresWriteSink;
import io.tonearm.pipeline.analysis.coordinator.CatalogLookup;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One test class's world (the catalog tests use it too): a fresh database on the shared PostgreSQL, its own topics on the shared Kafka broker,
 * a blob directory, and the analysis job running on the class's MiniCluster. The launcher's savepoint test of
 * {@code tonearm up}'s job graph uses it too (pipeline's test-jar), on a broker of its own and {@code up}'s topic names.
 */
public final class PipelineFixture implements AutoCloseable {

    public final String suffix = UUID.randomUUID().toString().substring(0, 8);
    /** Names the topics, the consumer group and the transactional ids: the suffix, or a savepoint's fixed stem. */
    final String topicStem;
    final String assetsTopic;
    final String requestsTopic;
    final String resultsTopic;
    public final Database db;
    public final PostgresConnection pg;
    public final KafkaServer kafka;
    public final Path blobDir;
    private final KafkaProducer<byte[], byte[]> producer;
    private JobClient job;

    public PipelineFixture(Path blobDir) {
        this(blobDir, null, 2);
    }

    /**
     * With topics of fixed names ({@code assets-STEM}, {@code requests-STEM}, {@code results-STEM}) of
     * {@code partitions} each, consumer group {@code analysis-STEM} and transactional ids {@code tx-STEM}: a
     * savepoint's Kafka state names them. Null: this fixture's random suffix.
     */
    public PipelineFixture(Path blobDir, String topicStem, int partitions) {
        this(blobDir, LocalStack.shared().kafka(), topicStem, null, partitions);
    }

    /**
     * On {@code kafka} (a broker the caller owns and closes), with the asset events, analysis requests and completions
     * on {@code topics} ({@code partitions} each, made unless they exist): a job graph wired to fixed topic names, as
     * {@code tonearm up}'s is.
     */
    public PipelineFixture(Path blobDir, KafkaServer kafka, TopicNames topics, int partitions) {
        this(blobDir, kafka, null, topics, partitions);
    }

    private PipelineFixture(Path blobDir, KafkaServer kafka, String topicStem, TopicNames topics, int partitions) {
        this.blobDir = blobDir;
        this.topicStem = topicStem == null ? suffix : topicStem;
        TopicNames names = topics != null ? topics : TopicNames.stem(this.topicStem);
        this.assetsTopic = names.assets();
        this.requestsTopic = names.requests();
        this.resultsTopic = names.results();
        PostgresServer server = LocalStack.shared().postgres();
        String url = server.createDatabase("p_" + suffix);
        this.db = Database.open(url, PostgresServer.SUPERUSER, null, 4);
        this.pg = new PostgresConnection(url, PostgresServer.SUPERUSER, null);
        this.kafka = kafka;
        kafka.createTopics(partitions, assetsTopic, requestsTopic, resultsTopic);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Where the fixture publishes asset events and analysis requests, and reads completions. */
    public record TopicNames(String assets, String requests, String results) {
        static TopicNames stem(String stem) {
            return new TopicNames("assets-" + stem, "requests-" + stem, "results-" + stem);
        }
    }

    /** Starts the job with the given analysis; checkpoints every {@code checkpoint}, restarts on failure. */
    void start(RecordingAnalysis analysis, Duration checkpoint, int parallelism) throws Exception {
        start(analysis, checkpoint, parallelism, new CollectingSearchSink());
    }

    /** As above, with the given search sink (the Elasticsearch one in {@code SearchIndexingITCase}). */
    void start(RecordingAnalysis analysis, Duration checkpoint, int parallelism,
               org.apache.flink.api.connector.sink2.Sink<io.tonearm.pipeline.analysis.output.SearchUpdate> search) throws Exception {
        start(analysis, checkpoint, parallelism, search, null, Duration.ofDays(1));
    }

    /**
     * Starts the job from {@code savepoint}. A recording's state expires a time-to-live after its last access in the
     * run that took the savepoint, counted in wall-clock time; the restored job gets a TTL longer than any committed
     * savepoint's age, as an operator would (production's is 180 days).
     */
    void restore(RecordingAnalysis analysis, Duration checkpoint, int parallelism, String savepoint) throws Exception {
        start(analysis, checkpoint, parallelism, new CollectingSearchSink(), savepoint, Duration.ofDays(100 * 365));
    }

    private void start(RecordingAnalysis analysis, Duration checkpoint, int parallelism,
                       org.apache.flink.api.connector.sink2.Sink<io.tonearm.pipeline.analysis.output.SearchUpdate> search,
                       String savepoint, Duration stateTtl) throws Exception {
        Configuration config = new Configuration();
        if (savepoint != null) config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        AnalysisJob.configure(env, checkpoint);
        String group = "analysis-" + topicStem;
        AnalysisJob.builder()
                .source(KafkaInbound.source(kafka.bootstrapServers(), group, assetsTopic, Inbound.Kind.ASSET))
                .source(KafkaInbound.source(kafka.bootstrapServers(), group, requestsTopic, Inbound.Kind.REQUEST))
                .postgres(PostgresWriteSink.builder(pg).build())
                .search(search)
                .completions(KafkaCompletions.sink(kafka.bootstrapServers(), resultsTopic, "tx-" + topicStem))
                .catalog(CatalogLookup.postgres(pg))
                .analysis(analysis)
                // gather window 1 s: a test's three requests, sent back to back, reach the coordinator within it even
                // when the build machine is loaded (300 ms once split them over two decodes)
                .settings(new AnalysisJob.Settings(stateTtl, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .build()
                .addTo(env);
        job = env.executeAsync("analysis-" + topicStem);
    }

    // ---- the world the API would have created

    public UUID account() throws SQLException {
        return account("pro");
    }

    /** A new account on {@code plan} ({@code basic} or {@code pro}), without credits until its monthly grant. */
    public UUID account(String plan) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO accounts (id, name, plan) VALUES (?, 'test', ?)", id, plan);
        return id;
    }

    /** Adds {@code credits} to the balance as an operator's top-up does ({@code tonearm credits add}). */
    public void topUp(UUID account, long credits) {
        new CreditLedger(db, CreditPolicy.configured()).topUp(account, credits, UUID.randomUUID().toString());
    }

    /** A recording in the blob directory, registered as a blob and as an asset of {@code account}. */
    public Asset asset(UUID account, Path file) throws Exception {
        String sha = AnalysisRunner.sha256(file);
        update("INSERT INTO blobs (sha256, size_bytes, location) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                sha, Files.size(file), file.toUri().toString());
        UUID assetId = UUID.nameUUIDFromBytes((account + sha).getBytes());
        update("INSERT INTO assets (id, account_id, sha256, method, filename, content_type, file_type, size_bytes, expires_at) "
                + "VALUES (?, ?, ?, 'upload', ?, 'audio/wav', 'audio', ?, now() + interval '1 day') ON CONFLICT DO NOTHING",
                assetId, account, sha, file.getFileName().toString(), Files.size(file));
        return new Asset(account, assetId, sha, file);
    }

    /** An asset the database does not know (another producer's, or its rows not yet visible). */
    Asset unregisteredAsset(UUID account, Path file) throws IOException {
        return new Asset(account, UUID.randomUUID(), AnalysisRunner.sha256(file), file);
    }

    public record Asset(UUID account, UUID id, String sha256, Path file) {
    }

    public void publishAsset(Asset a) {
        AssetEvent e = new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(), AssetEvent.Type.CREATED, a.account(),
                a.id(), a.sha256(), a.file().toUri().toString(), a.file().getFileName().toString(), "audio/wav",
                a.file().toFile().length(), Instant.now());
        producer.send(new ProducerRecord<>(assetsTopic, a.sha256().getBytes(), EventCodec.encode(e)));
        producer.flush();
    }

    /** Creates the queued job row (as the API does) and publishes the request; returns the job id. */
    /** One request per analyzer, sent in one producer batch: a client's fan-out (bpm, key, lufs at once). */
    List<UUID> fanOut(Asset a, String... analyzers) throws SQLException {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < analyzers.length; i++) { // the jobs' rows first, so the requests leave back to back
            UUID jobId = UUID.randomUUID();
            update("INSERT INTO jobs (id, account_id, asset_id, kind, status) "
                    + "VALUES (?, ?, (SELECT id FROM assets WHERE id = ?), 'analysis', 'queued')", jobId, a.account(), a.id());
            jobs.add(jobId);
        }
        for (int i = 0; i < analyzers.length; i++) {
            AnalysisRequested r = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, jobs.get(i), a.account(), a.id(), a.sha256(),
                    List.of(new AnalysisRequested.AnalyzerRequest(analyzers[i], null, Map.of())), Instant.now());
            producer.send(new ProducerRecord<>(requestsTopic, r.sha256().getBytes(), EventCodec.encode(r)));
        }
        producer.flush();
        return jobs;
    }

    public UUID request(Asset a, String... analyzers) throws SQLException {
        UUID jobId = UUID.randomUUID();
        update("INSERT INTO jobs (id, account_id, asset_id, kind, status) "
                + "VALUES (?, ?, (SELECT id FROM assets WHERE id = ?), 'analysis', 'queued')", jobId, a.account(), a.id());
        List<AnalysisRequested.AnalyzerRequest> list = new ArrayList<>();
        for (String s : analyzers) {
            int colon = s.indexOf(':');
            list.add(new AnalysisRequested.AnalyzerRequest(colon < 0 ? s : s.substring(0, colon),
                    colon < 0 ? null : s.substring(colon + 1), Map.of()));
        }
        publish(new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, jobId, a.account(), a.id(), a.sha256(), list, Instant.now()));
        return jobId;
    }

    void publish(AnalysisRequested r) {
        producer.send(new ProducerRecord<>(requestsTopic, r.sha256().getBytes(), EventCodec.encode(r)));
        producer.flush();
    }

    public void publishRaw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(), value));
        producer.flush();
    }

    /** As above, to {@code partition}. */
    public void publishRaw(String topic, int partition, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, partition, key.getBytes(), value));
        producer.flush();
    }

    // ---- reading what the job wrote

    public String jobStatus(UUID jobId) {
        return scalar("SELECT status FROM jobs WHERE id = ?", jobId);
    }

    public String scalar(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    public long count(String sql, Object... args) {
        String v = scalar(sql, args);
        return v == null ? 0 : Long.parseLong(v);
    }

    /**
     * Every completion event committed on the results topic (read_committed); other results there (the ingest job's
     * outcomes, which share {@code tonearm up}'s results topic) are left out.
     */
    public List<AnalysisCompleted> completions() {
        return committed(resultsTopic).stream().filter(r -> AnalysisCompleted.TYPE.equals(EventCodec.resultType(r.value())))
                .map(r -> EventCodec.decodeAnalysisCompleted(r.value())).toList();
    }

    /** What the analysis job consumed: every record of the assets and requests topics, in offset order per partition. */
    List<TopicRecord> consumed() {
        return consumed(assetsTopic, requestsTopic);
    }

    /** Every committed record of {@code topics}, in offset order per partition: what a job reading them consumed. */
    public List<TopicRecord> consumed(String... topics) {
        List<TopicRecord> out = new ArrayList<>();
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : committed(topic)) out.add(TopicRecord.of(r));
        }
        return out;
    }

    /**
     * Writes {@code records} again, each to its partition; on new topics each lands at its offset again (checked), so
     * offsets a savepoint holds for them point where they pointed in the run that took it.
     */
    public void replay(List<TopicRecord> records) throws Exception {
        for (TopicRecord r : records) {
            long offset = producer.send(r.toProducerRecord()).get().offset();
            if (offset != r.offset()) {
                throw new AssertionError("replayed " + r.topic() + "-" + r.partition() + " record at offset " + offset
                        + ", not " + r.offset() + ": the topic was not new");
            }
        }
    }

    /** Every committed record on {@code topic} (read_committed), in offset order per partition. */
    public List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic)) parts.add(new TopicPartition(topic, info.partition()));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) out.add(r);
            }
        }
        return out;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    // ---- recordings

    /** A 16-bit mono WAV: a sine at {@code hz} of {@code seconds}, amplitude {@code amp}. */
    public Path sine(String name, double hz, double seconds, double amp) throws IOException {
        return sine(blobDir, name, hz, seconds, amp);
    }

    /** A sine WAV written in {@code dir} (a test that watches the fixture's folder writes elsewhere, then moves). */
    public Path sine(Path dir, String name, double hz, double seconds, double amp) throws IOException {
        int rate = 22050;
        int n = (int) (seconds * rate);
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            short s = (short) Math.round(amp * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        Path file = dir.resolve(name + ".wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /**
     * {@code name}.mp3 in {@code dir}: an ID3 tag's first bytes, then noise. It passes the first-bytes check of the
     * catalog scan and the ingest job (so its bytes are stored), and the decoder's probe finds no audio in it.
     */
    public Path undecodableMp3(Path dir, String name) throws IOException {
        byte[] noise = new byte[50_000];
        new Random(name.hashCode()).nextBytes(noise);
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, noise, 0, 3);
        return Files.write(dir.resolve(name + ".mp3"), noise);
    }

    /**
     * A 16-bit stereo WAV at 44.1 kHz: a kick (decaying 60 Hz burst) every 0.5 s (120 BPM) over a sustained
     * A minor triad.
     */
    Path kickAndTriad(String name, double seconds) throws IOException {
        return kickAndTriad(name, seconds, 120.0);
    }

    /** As above at {@code bpm}: different tempi give different bytes, hence different recordings. */
    public Path kickAndTriad(String name, double seconds, double bpm) throws IOException {
        double period = 60.0 / bpm;
        int rate = 44100;
        int n = (int) (seconds * rate);
        byte[] pcm = new byte[n * 4];
        double[] triad = {220.0, 261.63, 329.63};
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double sinceBeat = t % period;
            double v = 0.5 * Math.exp(-sinceBeat * 30) * Math.sin(2 * Math.PI * 60 * sinceBeat);
            for (double hz : triad) v += 0.08 * Math.sin(2 * Math.PI * hz * t);
            short s = (short) Math.round(Math.max(-1, Math.min(1, v)) * 32767);
            for (int ch = 0; ch < 2; ch++) {
                pcm[4 * i + 2 * ch] = (byte) s;
                pcm[4 * i + 2 * ch + 1] = (byte) (s >> 8);
            }
        }
        AudioFormat format = new AudioFormat(rate, 16, 2, true, false);
        Path file = blobDir.resolve(name + ".wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    JobClient job() {
        return job;
    }

    @Override
    public void close() throws Exception {
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception ignored) {
                // already finished or failed
            }
        }
        producer.close();
        db.close();
    }
}
