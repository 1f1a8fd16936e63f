package io.tonearm.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.events.AssetEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What search knows about one asset: one Elasticsearch document per {@code asset_id} (its id), in the index of
 * {@link SearchIndex}. Stored with snake_case names ({@code integrated_lufs}, {@code key_camelot}, …), the same
 * as the analysis results the fields come from.
 *
 * <p>Every field but {@code assetId} and {@code accountId} may be null: a document built when only some analyses
 * are done is partial, and {@link ElasticsearchSink} merges it into the stored one (a null field never erases a
 * stored value). {@code features} is recomputed by the sink from the merged fields, so it always describes
 * everything known about the asset.
 *
 * @param assetId          the document id
 * @param accountId        the owning account; every read filters on it
 * @param sha256           hex SHA-256 of the recording's bytes
 * @param filename         the client's file name
 * @param duration         seconds
 * @param tempo            bpm (from the {@code bpm} result, else {@code beatgrid})
 * @param tempoConfidence  that result's {@code confidence}
 * @param key              tonic as the key analyzer spells it ({@code C C# D Eb E F F# G Ab A Bb B})
 * @param mode             {@code major} / {@code minor}
 * @param keyCamelot       e.g. {@code 8A}
 * @param keyConfidence    the key result's {@code confidence}
 * @param integratedLufs   EBU R128 integrated loudness, LUFS
 * @param loudnessRange    EBU Tech 3342 LRA, LU
 * @param truePeakDbtp     dBTP
 * @param chords           the most used chord labels (Harte), longest total time first, at most {@value #TOP_CHORDS}
 * @param chordHistogram   24-bin major/minor chord-time shares (see {@link FeatureVector}); stored, not indexed
 * @param createdAt        when the asset was created
 * @param features         {@link FeatureVector} of the fields above, unit length, for kNN
 * @param featuresVersion  {@link FeatureVector#VERSION} that produced {@code features}
 */
public record SearchDocument(String assetId, String accountId, String sha256, String filename, Double duration,
                             Double tempo, Double tempoConfidence, String key, String mode, String keyCamelot,
                             Double keyConfidence, Double integratedLufs, Double loudnessRange, Double truePeakDbtp,
                             List<String> chords, float[] chordHistogram, Instant createdAt, float[] features,
                             Integer featuresVersion) {

    public static final int TOP_CHORDS = 5;

    /** Analyzer names (and aliases) whose results fill the fields, in order of preference. */
    static final List<String> TEMPO_SOURCES = List.of("bpm", "bpm_degara", "beatgrid");
    static final List<String> KEY_SOURCES = List.of("key", "key-keynet");
    static final List<String> LOUDNESS_SOURCES = List.of("loudness-ebur128", "loudness", "lufs");
    static final List<String> CHORD_SOURCES = List.of("chords");

    public SearchDocument {
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(accountId, "accountId");
        chords = chords == null ? null : List.copyOf(chords);
    }

    /**
     * The asset's own facts, known before any analysis.
     *
     * @param duration  seconds, null when unknown yet
     * @param filename  may be null
     * @param createdAt may be null in a later partial document (the stored value stays)
     */
    public record Asset(String assetId, String accountId, String sha256, String filename, Double duration,
                        Instant createdAt) {
        public Asset {
            Objects.requireNonNull(assetId, "assetId");
            Objects.requireNonNull(accountId, "accountId");
        }

        /**
         * The facts an asset event carries; {@code created_at} is the event's time for a {@code created} event and
         * left alone otherwise. {@code duration} (seconds) comes from the decode, null when not known yet.
         */
        public static Asset from(AssetEvent event, Double duration) {
            return new Asset(event.assetId().toString(), event.accountId().toString(), event.sha256(), event.filename(),
                    duration, event.type() == AssetEvent.Type.CREATED ? event.occurredAt() : null);
        }
    }

    /**
     * A document from the asset's facts and the analysis results known so far, by analyzer name
     * ({@code bpm}, {@code beatgrid}, {@code key}, {@code loudness-ebur128}, {@code chords}, or their aliases):
     * each value is the {@code results} object of that analyzer's envelope as JSON (in the pipeline:
     * {@code Json.mapper().valueToTree(envelope.results())}). Unknown analyzers are ignored; missing ones leave
     * their fields null.
     */
    public static SearchDocument of(Asset asset, Map<String, JsonNode> resultsByAnalyzer) {
        JsonNode tempo = first(resultsByAnalyzer, TEMPO_SOURCES);
        JsonNode key = first(resultsByAnalyzer, KEY_SOURCES);
        JsonNode loudness = first(resultsByAnalyzer, LOUDNESS_SOURCES);
        JsonNode chords = first(resultsByAnalyzer, CHORD_SOURCES);
        SearchDocument doc = new SearchDocument(asset.assetId(), asset.accountId(), asset.sha256(), asset.filename(),
                asset.duration(),
                number(tempo, "tempo"), number(tempo, "confidence"),
                text(key, "key"), text(key, "mode"), text(key, "key_camelot"), number(key, "confidence"),
                number(loudness, "integrated_lufs"), number(loudness, "loudness_range"),
                number(loudness, "true_peak_dbtp"),
                chords == null ? null : topChords(chords), chords == null ? null : ChordHistogram.of(chords),
                asset.createdAt(), null, null);
        return doc.withFeatures();
    }

    /** This document with {@code features} and {@code featuresVersion} computed from its fields. */
    public SearchDocument withFeatures() {
        float[] vector = FeatureVector.of(this);
        return new SearchDocument(assetId, accountId, sha256, filename, duration, tempo, tempoConfidence, key, mode,
                keyCamelot, keyConfidence, integratedLufs, loudnessRange, truePeakDbtp, chords, chordHistogram,
                createdAt, vector, vector == null ? null : FeatureVector.VERSION);
    }

    private static JsonNode first(Map<String, JsonNode> results, List<String> names) {
        for (String name : names) {
            JsonNode node = results.get(name);
            if (node != null && node.isObject()) {
                return node;
            }
        }
        return null;
    }

    private static Double number(JsonNode result, String field) {
        if (result == null) {
            return null;
        }
        JsonNode value = result.get(field);
        return value != null && value.isNumber() && Double.isFinite(value.doubleValue()) ? value.doubleValue() : null;
    }

    private static String text(JsonNode result, String field) {
        if (result == null) {
            return null;
        }
        JsonNode value = result.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** Labels of the chords result's {@code summary} (already longest first), without {@code N}. */
    private static List<String> topChords(JsonNode chords) {
        List<String> labels = new ArrayList<>();
        for (JsonNode usage : chords.path("summary")) {
            String label = usage.path("label").asText("");
            if (!label.isEmpty() && !label.equals("N") && !label.equals("X") && !labels.contains(label)) {
                labels.add(label);
            }
            if (labels.size() == TOP_CHORDS) {
                break;
            }
        }
        return labels;
    }
}
