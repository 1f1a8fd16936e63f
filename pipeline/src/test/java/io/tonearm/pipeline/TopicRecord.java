package io.tonearm.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * A Kafka record where a topic held it, key and value as text (the events and commands are JSON), as a savepoint's
 * manifest keeps what the released job had consumed.
 */
public record TopicRecord(String topic, int partition, long offset, String key, String value) {

    public static TopicRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new TopicRecord(r.topic(), r.partition(), r.offset(), text(r.key()), text(r.value()));
    }

    public static TopicRecord of(JsonNode json) {
        return new TopicRecord(json.path("topic").asText(), json.path("partition").asInt(), json.path("offset").asLong(),
                textOrNull(json.path("key")), textOrNull(json.path("value")));
    }

    public ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("topic", topic).put("partition", partition).put("offset", offset).put("key", key).put("value", value);
        return o;
    }

    public ProducerRecord<byte[], byte[]> toProducerRecord() {
        return new ProducerRecord<>(topic, partition, bytes(key), bytes(value));
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String textOrNull(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
