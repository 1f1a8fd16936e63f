package io.tonearm.api.outbox;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * Publishes outbox rows to Kafka, each exactly once for {@code read_committed} consumers, even when the relay
 * dies at any point.
 *
 * <h2>Delivery</h2>
 * One pass: lock a batch of unpublished rows ({@code FOR UPDATE SKIP LOCKED}, id order), send them in one Kafka
 * transaction (transactional, hence idempotent, producer; {@code acks=all}) keyed by the row's key (the sha256),
 * each record carrying the headers {@code tonearm-outbox-id} and {@code tonearm-relay}; commit the Kafka
 * transaction; then, in one PostgreSQL transaction, mark the rows published and store, per partition, the offset
 * after the batch's last record.
 * <ul>
 *   <li>Dies before the Kafka commit: the rows stay unpublished; the open Kafka transaction is aborted when the
 *       next incarnation calls {@code initTransactions()} with the same stable {@code transactional.id}
 *       ({@code tonearm-outbox-<relay name>}), so the records never reach {@code read_committed} consumers and
 *       are sent again.</li>
 *   <li>Dies after the Kafka commit but before the PostgreSQL commit: the records are visible and the rows look
 *       unpublished. On start, before publishing anything, the relay reads every partition it writes from the
 *       stored offset to the last stable offset ({@code read_committed}) and marks the outbox ids it finds in
 *       its own records as published. Nothing is sent twice.</li>
 * </ul>
 * Only one relay per name publishes at a time (a PostgreSQL advisory lock elects it among API replicas); if two
 * ever overlap, Kafka fences the older producer. Every record also carries the event's stable {@code event_id},
 * so a consumer reading uncommitted data could still deduplicate.
 *
 * <h2>Latency</h2>
 * The leader {@code LISTEN}s on {@link io.tonearm.sinks.outbox.Outbox#CHANNEL} on the connection that holds the
 * lock: every transaction that appends outbox rows notifies it at its commit (the V11 trigger, whoever wrote the
 * rows), so a pass starts as soon as rows exist. Passes follow each other while they find rows; rows committed
 * during a pass go in the next one, so a burst of commits is still published in few batches. After an empty pass
 * the relay waits for a notification, or at most {@code pollInterval}: the poll is only the fallback for rows
 * whose insert notified nobody (writes that fire no triggers). A new leader's first pass takes whatever was
 * committed while no relay listened.
 */
public final class OutboxRelay implements AutoCloseable {

    public static final String HEADER_OUTBOX_ID = "tonearm-outbox-id";
    public static final String HEADER_RELAY = "tonearm-relay";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    /** Points in a pass where a test can make the relay die. */
    public enum Stage { AFTER_SEND, AFTER_KAFKA_COMMIT }

    /** Called at each {@link Stage}; throwing an {@link Error} there kills the relay like a crash would. */
    @FunctionalInterface
    public interface FailurePoint {
        FailurePoint NONE = stage -> {
        };

        void reached(Stage stage);
    }

    private final DataSource dataSource;
    private final String name;
    private final String bootstrapServers;
    private final int batchSize;
    private final Duration pollInterval;
    private final FailurePoint failurePoint;
    private final java.util.function.LongConsumer onPublished;
    private volatile boolean running;
    private volatile Throwable death;
    private Thread thread;

    private OutboxRelay(Builder b) {
        this.dataSource = b.dataSource;
        this.name = b.name;
        this.bootstrapServers = b.bootstrapServers;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.failurePoint = b.failurePoint;
        this.onPublished = b.onPublished;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the relay thread. */
    public synchronized OutboxRelay start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay-" + name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> death = e);
        thread.start();
        return this;
    }

    public boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    /** What killed the relay thread (an {@link Error}), null while alive or after a clean stop. */
    public Throwable deathCause() {
        return death;
    }

    public void awaitDeath(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    private void run() {
        while (running) {
            try (Connection leader = dataSource.getConnection()) {
                try {
                    if (!tryLead(leader)) {
                        sleep(pollInterval.multipliedBy(5));
                        continue;
                    }
                    OutboxWakeups wakeups = new OutboxWakeups(leader);
                    try (Session session = new Session()) {
                        while (running) {
                            wakeups.drain(); // rows committed from here on wake the next wait; earlier ones are in this pass
                            if (session.publishBatch() == 0) {
                                wakeups.await(pollInterval, () -> running);
                            }
                        }
                    }
                } finally {
                    unlisten(leader);
                    unlock(leader);
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("outbox relay {} failed; restarting with recovery", name, e);
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private boolean tryLead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "tonearm-outbox-relay:" + name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The leader connection goes back to the pool: it must not keep collecting notifications nobody reads. */
    private void unlisten(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debug("unlisten failed (connection gone: the subscription went with it)", e);
        }
    }

    private void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, "tonearm-outbox-relay:" + name);
            ps.execute();
        } catch (SQLException e) {
            LOG.debug("unlock failed (connection gone: the lock went with it)", e);
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000); // lets the current batch finish and the producer close cleanly
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(10_000);
            }
        }
    }

    private record Row(long id, String topic, String key, byte[] payload) {
    }

    /** One producer incarnation: initialised (fencing the previous one), recovered, then publishing. */
    private final class Session implements AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;

        Session() throws SQLException {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tonearm-outbox-" + name);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
                recover();
            } catch (RuntimeException | SQLException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
        }

        int publishBatch() throws Exception {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                List<Row> rows = lockBatch(c);
                if (rows.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                producer.beginTransaction();
                List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(r.topic(), r.key(), r.payload());
                    record.headers().add(HEADER_OUTBOX_ID, Long.toString(r.id()).getBytes(StandardCharsets.UTF_8));
                    record.headers().add(HEADER_RELAY, name.getBytes(StandardCharsets.UTF_8));
                    sent.add(producer.send(record));
                }
                producer.flush(); // the batch is on the broker, inside the open transaction
                failurePoint.reached(Stage.AFTER_SEND);
                producer.commitTransaction();
                failurePoint.reached(Stage.AFTER_KAFKA_COMMIT);
                Map<TopicPartition, Long> next = new HashMap<>();
                for (Future<RecordMetadata> f : sent) {
                    RecordMetadata m = f.get();
                    next.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                }
                markPublished(c, rows.stream().map(Row::id).toList(), next);
                c.commit();
                onPublished.accept(rows.size());
                return rows.size();
            }
        }

        private List<Row> lockBatch(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, key, payload::text FROM outbox "
                    + "WHERE published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, batchSize);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getString(4).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                return rows;
            }
        }

        /** Marks rows whose records a previous incarnation committed to Kafka but not to PostgreSQL. */
        private void recover() throws SQLException {
            Map<TopicPartition, Long> stored = new HashMap<>();
            Set<String> topics = new HashSet<>();
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT topic, partition, next_offset FROM outbox_relay_offsets WHERE relay = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                            topics.add(rs.getString(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT topic FROM outbox WHERE published_at IS NULL");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        topics.add(rs.getString(1));
                    }
                }
            }
            if (topics.isEmpty()) {
                return;
            }
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
            List<Long> found = new ArrayList<>();
            Map<TopicPartition, Long> end;
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    List<PartitionInfo> infos;
                    try {
                        infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    } catch (RuntimeException e) {
                        infos = List.of(); // the topic does not exist yet: nothing was published there
                    }
                    for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                }
                end = consumer.endOffsets(partitions, Duration.ofSeconds(30)); // last stable offsets
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
                Map<TopicPartition, Long> from = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    long start = Math.max(stored.getOrDefault(tp, 0L), begin.get(tp));
                    if (start < end.get(tp)) {
                        from.put(tp, start);
                    }
                }
                consumer.assign(from.keySet());
                from.forEach(consumer::seek);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!from.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("outbox recovery did not reach the end of " + from.keySet());
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        Header relay = r.headers().lastHeader(HEADER_RELAY);
                        Header id = r.headers().lastHeader(HEADER_OUTBOX_ID);
                        if (relay != null && id != null && name.equals(new String(relay.value(), StandardCharsets.UTF_8))) {
                            found.add(Long.parseLong(new String(id.value(), StandardCharsets.UTF_8)));
                        }
                    }
                    from.keySet().removeIf(tp -> consumer.position(tp) >= end.get(tp));
                }
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                markPublished(c, found, end);
                c.commit();
            }
            if (!found.isEmpty()) {
                LOG.info("outbox relay {} recovered {} event(s) a previous run published but did not mark", name, found.size());
            }
        }

        private void markPublished(Connection c, List<Long> ids, Map<TopicPartition, Long> nextOffsets) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET published_at = now() WHERE id = ANY(?) AND published_at IS NULL")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_relay_offsets (relay, topic, partition, next_offset) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (relay, topic, partition) DO UPDATE SET "
                    + "next_offset = GREATEST(outbox_relay_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()")) {
                for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                    ps.setString(1, name);
                    ps.setString(2, e.getKey().topic());
                    ps.setInt(3, e.getKey().partition());
                    ps.setLong(4, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        @Override
        public void close() {
            // A clean stop closes gracefully; after a failure the next incarnation's initTransactions() aborts
            // whatever this one left open, so do not wait (and a crash must not tidy up anyway).
            producer.close(running ? Duration.ZERO : Duration.ofSeconds(5));
        }
    }

    public static final class Builder {
        private DataSource dataSource;
        private String name = "default";
        private String bootstrapServers;
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofMillis(200);
        private FailurePoint failurePoint = FailurePoint.NONE;
        private java.util.function.LongConsumer onPublished = n -> {
        };

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** Stable across restarts: it names the Kafka transactional id and the stored offsets. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The longest an idle relay waits before reading the outbox again without being notified (fallback). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder failurePoint(FailurePoint failurePoint) {
            this.failurePoint = failurePoint;
            return this;
        }

        /** Told how many events each committed batch published (for metrics). */
        public Builder onPublished(java.util.function.LongConsumer onPublished) {
            this.onPublished = Objects.requireNonNull(onPublished);
            return this;
        }

        public OutboxRelay build() {
            Objects.requireNonNull(dataSource, "dataSource");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("relay name must match [A-Za-z0-9._-]{1,100}: " + name);
            }
            if (batchSize < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("batchSize and pollInterval must be positive");
            }
            return new OutboxRelay(this);
        }
    }
}
