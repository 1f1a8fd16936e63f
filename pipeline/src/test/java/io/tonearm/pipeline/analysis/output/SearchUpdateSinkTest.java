package io.tonearm.pipeline.analysis.output;

import io.tonearm.sinks.elasticsearch.SearchAction;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SearchUpdateSinkTest {

    @Test
    void summariesBecomeTheSearchDocumentsFields() throws Exception {
        SearchUpdate u = new SearchUpdate("asset", "acct", "d".repeat(64), "song.wav", Instant.EPOCH, 180.0,
                "{\"bpm\": {\"tempo\": 128.0, \"confidence\": 0.9}, \"key\": {\"key\": \"A\", \"mode\": \"minor\"},"
                        + " \"loudness-ebur128\": {\"integrated_lufs\": -9.5},"
                        + " \"chords\": {\"summary\": [{\"label\": \"A:min\"}, {\"label\": \"N\"}, {\"label\": \"C:maj\"}]}}", false);
        SearchAction action = SearchUpdateSink.toAction(u);
        assertThat(action.type()).isEqualTo(SearchAction.Type.UPSERT);
        assertThat(action.document().tempo()).isEqualTo(128.0);
        assertThat(action.document().key()).isEqualTo("A");
        assertThat(action.document().mode()).isEqualTo("minor");
        assertThat(action.document().integratedLufs()).isEqualTo(-9.5);
        assertThat(action.document().chords()).containsExactly("A:min", "C:maj");
        assertThat(action.document().duration()).isEqualTo(180.0);
    }

    @Test
    void aDeletedAssetRemovesItsDocument() throws Exception {
        SearchAction action = SearchUpdateSink.toAction(new SearchUpdate("asset", "acct", "d".repeat(64), null, null, null, "{}", true));
        assertThat(action.type()).isEqualTo(SearchAction.Type.DELETE);
        assertThat(action.assetId()).isEqualTo("asset");
    }
}
