package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.events.Topics;
import io.tonearm.pipeline.analysis.output.KafkaCompletions;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The ingest job's Kafka ends: commands from {@link Topics#INGEST} (offsets in Flink's checkpoints; the committed
 * group offsets are where a fresh deployment starts) and outcomes to {@link Topics#RESULTS} through the same
 * exactly-once transactional sink as the analysis job's completions.
 */
public final class KafkaIngest {

    private KafkaIngest() {
    }

    /** @param topic {@link Topics#INGEST}, or a test's own */
    public static KafkaSource<CommandRecord> commands(String bootstrapServers, String groupId, String topic) {
        return KafkaSource.<CommandRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setClientIdPrefix(groupId + "-ingest")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /** @param topic {@link Topics#RESULTS}, or a test's own; {@code transactionalIdPrefix} unique per deployment */
    public static KafkaSink<OutcomeRecord> outcomes(String bootstrapServers, String topic, String transactionalIdPrefix) {
        return KafkaCompletions.transactional(bootstrapServers, new Serializer(topic), transactionalIdPrefix);
    }

    /** Never throws: any bytes (even none) become a record, judged downstream. */
    static final class RawDeserializer implements KafkaRecordDeserializationSchema<CommandRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<CommandRecord> out) {
            out.collect(new CommandRecord(r.topic(), r.partition(), r.offset(), r.value() == null ? new byte[0] : r.value()));
        }

        @Override
        public TypeInformation<CommandRecord> getProducedType() {
            return TypeInformation.of(CommandRecord.class);
        }
    }

    static final class Serializer implements KafkaRecordSerializationSchema<OutcomeRecord> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(OutcomeRecord o, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, o.key().getBytes(StandardCharsets.UTF_8), o.json().getBytes(StandardCharsets.UTF_8));
        }
    }
}
