package io.tonearm.pipeline.analysis.output;

import io.tonearm.events.Topics;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Completion events to {@link Topics#RESULTS} with the exactly-once KafkaSink: records are written in a Kafka
 * transaction committed when the checkpoint completes, so a consumer reading {@code read_committed} sees each
 * completion once even across failovers. The transaction timeout stays under the broker's
 * {@code transaction.max.timeout.ms} (15 min by default; Flink's 1 h default makes the job restart forever).
 */
public final class KafkaCompletions {

    /** 10 min: several checkpoint intervals, below the broker's 15 min maximum. */
    static final String TRANSACTION_TIMEOUT_MS = "600000";

    private KafkaCompletions() {
    }

    /** @param transactionalIdPrefix unique per job deployment writing this topic */
    public static KafkaSink<Completion> sink(String bootstrapServers, String transactionalIdPrefix) {
        return sink(bootstrapServers, Topics.RESULTS, transactionalIdPrefix);
    }

    /** To another topic (tests use their own topic names). */
    public static KafkaSink<Completion> sink(String bootstrapServers, String topic, String transactionalIdPrefix) {
        return transactional(bootstrapServers, new Serializer(topic), transactionalIdPrefix);
    }

    /** The exactly-once settings above for any record type written to the results topic (ingest outcomes too). */
    public static <T> KafkaSink<T> transactional(String bootstrapServers, KafkaRecordSerializationSchema<T> serializer,
                                                 String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }

    static final class Serializer implements KafkaRecordSerializationSchema<Completion> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Completion c, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, c.sha256().getBytes(StandardCharsets.UTF_8),
                    c.json().getBytes(StandardCharsets.UTF_8));
        }
    }
}
