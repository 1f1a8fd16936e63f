package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** A Kafka record where a topic held it, key and value as text (the events are JSON), as a savepoint's manifest keeps it. */
record TopicRecord(String topic, int partition, long offset, String key, String value) {

    static TopicRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new TopicRecord(r.topic(), r.partition(), r.offset(), text(r.key()), text(r.value()));
    }

    static TopicRecord of(JsonNode json) {
        return new TopicRecord(json.path("topic").asText(), json.path("partition").asInt(), json.path("offset").asLong(),
                json.path("key").isNull() ? null : json.path("key").asText(), json.path("value").asText());
    }

    ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("topic", topic).put("partition", partition).put("offset", offset).put("key", key).put("value", value);
        return o;
    }

    ProducerRecord<byte[], byte[]> toProducerRecord() {
        return new ProducerRecord<>(topic, partition, key == null ? null : bytes(key), bytes(value));
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
