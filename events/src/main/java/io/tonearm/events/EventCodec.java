package io.tonearm.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON encoding of Tonearm events, used by the API (producer) and the pipeline (consumer):
 * snake_case fields, ISO-8601 instants, unknown fields ignored (so a consumer survives a
 * producer that added a field), a record whose {@code version} is newer than the class knows is rejected.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    public static byte[] encode(Object event) {
        return encodeToString(event).getBytes(StandardCharsets.UTF_8);
    }

    public static String encodeToString(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static AssetEvent decodeAssetEvent(byte[] json) {
        AssetEvent event = decode(json, AssetEvent.class);
        checkVersion(event.version(), AssetEvent.CURRENT_VERSION, "AssetEvent");
        return event;
    }

    public static AnalysisRequested decodeAnalysisRequested(byte[] json) {
        AnalysisRequested event = decode(json, AnalysisRequested.class);
        checkVersion(event.version(), AnalysisRequested.CURRENT_VERSION, "AnalysisRequested");
        return event;
    }

    public static AnalysisCompleted decodeAnalysisCompleted(byte[] json) {
        AnalysisCompleted event = decode(json, AnalysisCompleted.class);
        checkVersion(event.version(), AnalysisCompleted.CURRENT_VERSION, "AnalysisCompleted");
        return event;
    }

    /**
     * A command from {@link Topics#INGEST}. Throws on JSON that is not an object of this shape; whether the command
     * is complete and consistent is {@link IngestCommand#problem()}'s answer (so both become a {@code malformed}
     * outcome with a reason).
     */
    public static IngestCommand decodeIngestCommand(byte[] json) {
        return decode(json, IngestCommand.class);
    }

    public static IngestOutcome decodeIngestOutcome(byte[] json) {
        IngestOutcome event = decode(json, IngestOutcome.class);
        checkVersion(event.version(), IngestOutcome.CURRENT_VERSION, "IngestOutcome");
        return event;
    }

    /** A probe in the form {@link AnalysisRequested#probe()} carries it (also how an asset row keeps it). */
    public static AudioProbe decodeAudioProbe(byte[] json) {
        return decode(json, AudioProbe.class);
    }

    /**
     * Which event a {@link Topics#RESULTS} record holds: its {@code type} field ({@link AnalysisCompleted#TYPE} or
     * {@link IngestOutcome#TYPE}); records written before the field existed are {@link AnalysisCompleted#TYPE}.
     * Consumers skip types they do not know.
     */
    public static String resultType(byte[] json) {
        try {
            com.fasterxml.jackson.databind.JsonNode type = MAPPER.readTree(json).get("type");
            return type == null || type.isNull() ? AnalysisCompleted.TYPE : type.asText();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    private static <T> T decode(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static void checkVersion(int version, int known, String what) {
        if (version < 1 || version > known) {
            throw new IllegalArgumentException(what + " version " + version + " is not supported (known: 1.." + known + ")");
        }
    }
}
