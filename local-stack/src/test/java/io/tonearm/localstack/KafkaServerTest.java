package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaServerTest {
    private static final String TOPIC = "recordings";
    private static final String GROUP = "analysis";

    @Test
    void topicAndCommittedOffsetsSurviveARestart(@TempDir Path dir) throws Exception {
        try (KafkaServer kafka = KafkaServer.builder().directory(dir).start()) {
            kafka.createTopics(2, TOPIC);
            kafka.createTopics(2, TOPIC); // again: harmless
            produce(kafka, "a", "b", "c");
            assertThat(consumeAndCommit(kafka, 3)).containsExactlyInAnyOrder("a", "b", "c");
        }

        try (KafkaServer kafka = KafkaServer.builder().directory(dir).start()) {
            assertThat(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    kafka.admin().listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(3);

            produce(kafka, "d");
            assertThat(consumeAndCommit(kafka, 1)).as("the group resumes after its committed offsets")
                    .containsExactly("d");
        }
    }

    private static void produce(KafkaServer kafka, String... values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls until {@code expected} records arrived (or 60 s), commits, and returns their values. */
    private static List<String> consumeAndCommit(KafkaServer kafka, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
            // A short extra poll: nothing beyond what was expected may be delivered.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
