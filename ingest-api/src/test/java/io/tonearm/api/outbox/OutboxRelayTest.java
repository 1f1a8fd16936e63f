package io.tonearm.api.outbox;

import io.tonearm.api.TestStack;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.sinks.outbox.Outbox;
import io.tonearm.sinks.postgres.Database;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay against a real broker: everything published once, and a relay killed between the Kafka commit and
 * the PostgreSQL commit (or before the Kafka commit) neither loses nor duplicates anything downstream. An idle
 * relay publishes a commit at once (notified), and still finds rows no notification announced (its first pass
 * after a restart, its fallback poll).
 */
class OutboxRelayTest {

    private static final int ROWS = 7;
    private static final int BATCH = 3;
    /** A relay's start: producer fencing, recovery, the first pass. */
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Far below {@link #LONG_POLL}: only a notification can wake the relay this soon. */
    private static final Duration NOTIFIED = Duration.ofSeconds(5);
    private static final Duration LONG_POLL = Duration.ofSeconds(30);

    static KafkaServer kafka;
    static Database db;

    /** What a crash looks like to the relay: an Error no handler swallows. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(OutboxRelay.Stage stage) {
            super("simulated crash at " + stage);
        }
    }

    @BeforeAll
    static void start() {
        kafka = TestStack.kafka();
        db = TestStack.freshDatabase();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void publishesEveryRowOnceKeyedBySha256WithItsOutboxId() throws Exception {
        String topic = newTopic();
        List<AssetEvent> events = appendEvents(topic, ROWS);

        try (OutboxRelay relay = relay("clean-" + topic, OutboxRelay.FailurePoint.NONE).start()) {
            awaitAllPublished(topic);
        }

        List<ConsumerRecord<String, byte[]>> records = consume(topic, "read_committed", ROWS);
        assertThat(records).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            AssetEvent decoded = EventCodec.decodeAssetEvent(records.get(i).value());
            assertThat(decoded).isEqualTo(events.get(i));
            assertThat(records.get(i).key()).isEqualTo(events.get(i).sha256());
            assertThat(records.get(i).headers().lastHeader(OutboxRelay.HEADER_OUTBOX_ID)).isNotNull();
        }
    }

    @Test
    void killedAfterTheKafkaCommitTheNextRelayMarksInsteadOfRepublishing() throws Exception {
        String topic = newTopic();
        List<AssetEvent> events = appendEvents(topic, ROWS);
        String name = "crash-after-commit-" + topic;

        OutboxRelay doomed = relay(name, crashOnceAt(OutboxRelay.Stage.AFTER_KAFKA_COMMIT)).start();
        doomed.awaitDeath(Duration.ofSeconds(60));
        assertThat(doomed.deathCause()).isInstanceOf(SimulatedCrash.class);
        assertThat(consume(topic, "read_committed", BATCH)).as("the first batch reached Kafka").hasSize(BATCH);
        assertThat(unpublished(topic)).as("but PostgreSQL never heard of it").isEqualTo(ROWS);

        try (OutboxRelay successor = relay(name, OutboxRelay.FailurePoint.NONE).start()) {
            awaitAllPublished(topic);
        }

        assertExactlyOnce(topic, events);
    }

    @Test
    void killedBeforeTheKafkaCommitItsRecordsAreAbortedAndSentAgain() throws Exception {
        String topic = newTopic();
        List<AssetEvent> events = appendEvents(topic, ROWS);
        String name = "crash-before-commit-" + topic;

        OutboxRelay doomed = relay(name, crashOnceAt(OutboxRelay.Stage.AFTER_SEND)).start();
        doomed.awaitDeath(Duration.ofSeconds(60));
        assertThat(doomed.deathCause()).isInstanceOf(SimulatedCrash.class);

        try (OutboxRelay successor = relay(name, OutboxRelay.FailurePoint.NONE).start()) {
            awaitAllPublished(topic);
        }

        assertExactlyOnce(topic, events);
        assertThat(consume(topic, "read_uncommitted", ROWS + BATCH))
                .as("the dead relay's batch was really written, then aborted").hasSize(ROWS + BATCH);
    }

    @Test
    void anIdleRelayPublishesEachCommitAtOnceNotAtItsNextPoll() throws Exception {
        String topic = newTopic();
        List<AssetEvent> events = new ArrayList<>(appendEvents(topic, 1));

        try (OutboxRelay relay = relay("notified-" + topic, OutboxRelay.FailurePoint.NONE, LONG_POLL).start()) {
            awaitAllPublished(topic, STARTUP); // the first pass runs at once, notified or not
            for (int i = 0; i < 3; i++) { // one lucky race could beat the poll, three in a row cannot
                events.addAll(appendEvents(topic, 1));
                awaitAllPublished(topic, NOTIFIED);
            }
        }

        assertThat(consume(topic, "read_committed", events.size()).stream()
                .map(r -> EventCodec.decodeAssetEvent(r.value()).eventId()).toList())
                .containsExactlyElementsOf(events.stream().map(AssetEvent::eventId).toList());
    }

    @Test
    void rowsCommittedWhileTheRelayWasAwayArePublishedWhenItComesBack() throws Exception {
        String topic = newTopic();
        String name = "returning-" + topic;
        appendEvents(topic, 1);
        try (OutboxRelay relay = relay(name, OutboxRelay.FailurePoint.NONE, LONG_POLL).start()) {
            awaitAllPublished(topic, STARTUP);
        }

        appendEvents(topic, 2); // their notifications reach nobody
        try (OutboxRelay back = relay(name, OutboxRelay.FailurePoint.NONE, LONG_POLL).start()) {
            awaitAllPublished(topic, STARTUP);
            appendEvents(topic, 1);
            awaitAllPublished(topic, NOTIFIED); // the new leadership listens again
        }

        assertThat(consume(topic, "read_committed", 4)).hasSize(4);
    }

    @Test
    void rowsWhoseInsertNotifiedNobodyArePublishedByThePoll() throws Exception {
        String topic = newTopic();
        appendEvents(topic, 1);

        try (OutboxRelay relay = relay("polled-" + topic, OutboxRelay.FailurePoint.NONE, Duration.ofSeconds(1)).start()) {
            awaitAllPublished(topic, STARTUP);
            appendEventsWithoutTriggers(topic);
            awaitAllPublished(topic, NOTIFIED);
        }

        assertThat(consume(topic, "read_committed", 2)).hasSize(2);
    }

    private static void assertExactlyOnce(String topic, List<AssetEvent> events) {
        List<ConsumerRecord<String, byte[]>> records = consume(topic, "read_committed", ROWS + 1);
        List<UUID> seen = records.stream().map(r -> EventCodec.decodeAssetEvent(r.value()).eventId()).toList();
        assertThat(seen).containsExactlyElementsOf(events.stream().map(AssetEvent::eventId).toList());
        assertThat(unpublished(topic)).isZero();
    }

    private static OutboxRelay relay(String name, OutboxRelay.FailurePoint failurePoint) {
        return relay(name, failurePoint, Duration.ofMillis(50));
    }

    private static OutboxRelay relay(String name, OutboxRelay.FailurePoint failurePoint, Duration pollInterval) {
        return OutboxRelay.builder().dataSource(db.dataSource()).bootstrapServers(kafka.bootstrapServers())
                .name(name).batchSize(BATCH).pollInterval(pollInterval).failurePoint(failurePoint).build();
    }

    private static OutboxRelay.FailurePoint crashOnceAt(OutboxRelay.Stage at) {
        AtomicBoolean fired = new AtomicBoolean();
        return stage -> {
            if (stage == at && fired.compareAndSet(false, true)) {
                throw new SimulatedCrash(stage);
            }
        };
    }

    private static String newTopic() {
        String topic = "test.outbox." + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopics(1, topic);
        return topic;
    }

    /** One event appended the way a writer that fires no triggers would (restore, logical replication). */
    private static void appendEventsWithoutTriggers(String topic) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            return new Outbox().append(c, topic, "k", event(0));
        });
    }

    /** Real asset events, one per recording, appended the way the API does (one transaction each). */
    private static List<AssetEvent> appendEvents(String topic, int n) {
        Outbox outbox = new Outbox();
        List<AssetEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AssetEvent e = event(i);
            db.inTransaction(c -> outbox.append(c, topic, e.key(), e));
            events.add(e);
        }
        return events;
    }

    private static AssetEvent event(int i) {
        String sha = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 64);
        return new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(), AssetEvent.Type.CREATED,
                UUID.randomUUID(), UUID.randomUUID(), sha, "file:///blobs/" + sha, "f" + i + ".wav", "audio/wav",
                1000 + i, Instant.parse("2026-11-21T00:00:00Z").plusSeconds(i));
    }

    private static long unpublished(String topic) {
        return db.withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE topic = ? AND published_at IS NULL")) {
                ps.setString(1, topic);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static void awaitAllPublished(String topic) throws InterruptedException {
        awaitAllPublished(topic, STARTUP);
    }

    private static void awaitAllPublished(String topic, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (unpublished(topic) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(unpublished(topic) + " rows of " + topic + " still unpublished after " + within);
            }
            Thread.sleep(50);
        }
    }

    /** Reads the single-partition topic from the start until {@code atLeast} records (then 1 s more) or 3 s. */
    private static List<ConsumerRecord<String, byte[]>> consume(String topic, String isolation, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quietUntil) {
                var batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(out::add);
                if (out.size() >= atLeast) {
                    // keep reading briefly: a duplicate would show up right behind
                    quietUntil = Math.min(quietUntil, System.nanoTime() + Duration.ofSeconds(1).toNanos());
                }
            }
        }
        return out;
    }
}
