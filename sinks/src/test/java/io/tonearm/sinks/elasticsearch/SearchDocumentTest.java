package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.events.AssetEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchDocumentTest {
    static final SearchDocument.Asset ASSET = new SearchDocument.Asset("asset-1", "account-a", "ab12", "song.mp3", 184.5,
            Instant.parse("2026-11-20T10:00:00Z"));

    static JsonNode json(String text) throws Exception {
        return SearchDocumentJson.MAPPER.readTree(text);
    }

    @Test
    void readsTheContractFieldsOfEachResult() throws Exception {
        ObjectNode chords = ChordHistogramTest.chordsResult("A:min", "F:maj");
        chords.putArray("summary").add(json("{\"label\":\"A:min\",\"duration\":2,\"segments\":1}"))
                .add(json("{\"label\":\"N\",\"duration\":1,\"segments\":1}"))
                .add(json("{\"label\":\"F:maj\",\"duration\":2,\"segments\":1}"));
        SearchDocument doc = SearchDocument.of(ASSET, Map.of(
                "bpm", json("{\"tempo\":128.2,\"confidence\":0.8,\"alternatives\":[]}"),
                "key", json("{\"key\":\"A\",\"mode\":\"minor\",\"key_camelot\":\"8A\",\"confidence\":0.7}"),
                "loudness-ebur128", json("{\"integrated_lufs\":-9.1,\"loudness_range\":5.5,\"true_peak_dbtp\":-0.3}"),
                "chords", chords,
                "pitch", json("{\"notes\":[]}")));
        assertThat(doc.tempo()).isEqualTo(128.2);
        assertThat(doc.tempoConfidence()).isEqualTo(0.8);
        assertThat(doc.key()).isEqualTo("A");
        assertThat(doc.mode()).isEqualTo("minor");
        assertThat(doc.keyCamelot()).isEqualTo("8A");
        assertThat(doc.integratedLufs()).isEqualTo(-9.1);
        assertThat(doc.loudnessRange()).isEqualTo(5.5);
        assertThat(doc.truePeakDbtp()).isEqualTo(-0.3);
        assertThat(doc.chords()).containsExactly("A:min", "F:maj");
        assertThat(doc.features()).hasSize(FeatureVector.DIMENSIONS);
        assertThat(doc.featuresVersion()).isEqualTo(FeatureVector.VERSION);
        assertThat(doc.filename()).isEqualTo("song.mp3");
        assertThat(doc.duration()).isEqualTo(184.5);
    }

    @Test
    void assetFactsComeFromTheAssetEvent() {
        UUID account = UUID.randomUUID();
        UUID asset = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-20T12:00:00Z");
        AssetEvent created = new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(), AssetEvent.Type.CREATED, account,
                asset, "ff00", "file:///blobs/ff00", "take 3.wav", "audio/wav", 1234, at);
        SearchDocument.Asset facts = SearchDocument.Asset.from(created, 61.5);
        assertThat(facts).isEqualTo(new SearchDocument.Asset(asset.toString(), account.toString(), "ff00", "take 3.wav", 61.5, at));
        SearchDocument doc = SearchDocument.of(facts, Map.of());
        assertThat(doc.features()).isNull();
        assertThat(doc.createdAt()).isEqualTo(at);
    }

    @Test
    void aPartialDocumentStoresOnlyWhatIsKnown() throws Exception {
        SearchDocument doc = SearchDocument.of(ASSET, Map.of("beatgrid", json("{\"tempo\":90,\"confidence\":0.5,\"beats\":[]}")));
        ObjectNode stored = SearchDocumentJson.toJson(doc);
        assertThat(stored.get("tempo").asDouble()).isEqualTo(90);
        assertThat(stored.has("key")).isFalse();
        assertThat(stored.has("integrated_lufs")).isFalse();
        assertThat(stored.get("created_at").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(SearchDocumentJson.fromJson(stored).tempo()).isEqualTo(90.0);
    }

    @Test
    void mergingKeepsStoredFieldsAndRecomputesTheFeatures() throws Exception {
        ObjectNode first = SearchDocumentJson.toJson(SearchDocument.of(ASSET, Map.of("bpm", json("{\"tempo\":120,\"confidence\":1}"))));
        SearchDocument.Asset later = new SearchDocument.Asset("asset-1", "account-a", null, null, null, null);
        ObjectNode second = SearchDocumentJson.toJson(SearchDocument.of(later,
                Map.of("key", json("{\"key\":\"C\",\"mode\":\"major\",\"key_camelot\":\"8B\"}"))));
        ObjectNode merged = SearchDocumentJson.merge(first, second);
        SearchDocument doc = SearchDocumentJson.fromJson(merged);
        assertThat(doc.tempo()).isEqualTo(120.0);
        assertThat(doc.key()).isEqualTo("C");
        assertThat(doc.filename()).isEqualTo("song.mp3");
        float[] both = FeatureVector.of("C", "major", 120.0, null, null, null);
        assertThat(doc.features()).containsExactly(both);
    }
}
