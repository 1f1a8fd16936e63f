package io.tonearm.pipeline.analysis.source;

import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads one topic's records into {@link Inbound}. A record that is not a valid event of a known version is
 * logged and skipped, never thrown: a poison record must not put the job into a restart loop.
 */
public final class InboundDeserializer implements KafkaRecordDeserializationSchema<Inbound> {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDeserializer.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Inbound.Kind kind;

    public InboundDeserializer(Inbound.Kind kind) {
        this.kind = kind;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Inbound> out) {
        Inbound inbound = parse(record.value());
        if (inbound == null) {
            LOG.warn("skipping malformed {} record at {}-{}@{}", kind, record.topic(), record.partition(), record.offset());
        } else {
            out.collect(inbound);
        }
    }

    /** The event as {@link Inbound}, or null when it is not a valid event of this topic's type. */
    Inbound parse(byte[] value) {
        if (value == null) return null;
        try {
            Inbound in = switch (kind) {
                case ASSET -> {
                    AssetEvent e = EventCodec.decodeAssetEvent(value);
                    yield new Inbound(kind, e.sha256(), new String(value, StandardCharsets.UTF_8));
                }
                case REQUEST -> {
                    AnalysisRequested r = EventCodec.decodeAnalysisRequested(value);
                    yield new Inbound(kind, r.sha256(), new String(value, StandardCharsets.UTF_8));
                }
            };
            return SHA256.matcher(in.sha256()).matches() ? in : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public TypeInformation<Inbound> getProducedType() {
        return TypeInformation.of(Inbound.class);
    }
}
