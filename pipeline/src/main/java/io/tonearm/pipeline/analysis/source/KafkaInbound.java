package io.tonearm.pipeline.analysis.source;

import io.tonearm.events.Topics;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's Kafka sources (FLIP-27). Offsets are part of Flink's checkpoints (exactly-once); the committed group
 * offsets are only where a fresh deployment starts. {@code read_committed}: the API's outbox relay writes
 * transactionally, so aborted batches are never seen.
 */
public final class KafkaInbound {

    private KafkaInbound() {
    }

    /** {@link Topics#ASSETS}. */
    public static KafkaSource<Inbound> assets(String bootstrapServers, String groupId) {
        return source(bootstrapServers, groupId, Topics.ASSETS, Inbound.Kind.ASSET);
    }

    /** {@link Topics#REQUESTS}. */
    public static KafkaSource<Inbound> requests(String bootstrapServers, String groupId) {
        return source(bootstrapServers, groupId, Topics.REQUESTS, Inbound.Kind.REQUEST);
    }

    /** One topic of {@code kind} events (tests use their own topic names). */
    public static KafkaSource<Inbound> source(String bootstrapServers, String groupId, String topic, Inbound.Kind kind) {
        return KafkaSource.<Inbound>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setClientIdPrefix(groupId + "-" + kind.name().toLowerCase())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new InboundDeserializer(kind))
                .setProperty("isolation.level", "read_committed")
                .build();
    }
}
