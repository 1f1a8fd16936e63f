package io.tonearm.pipeline.analysis.coordinator;

import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingStateSerializerTest {

    @Test
    void everyFieldSurvivesARoundTripWithItsVersion() throws IOException {
        RecordingState s = new RecordingState();
        s.results.put("bpm@1#00", new RecordingState.ResultMark(true, null));
        s.results.put("key@2#ff", new RecordingState.ResultMark(false, "x".repeat(70_000)));
        s.summaries.put("bpm", "{\"tempo\":120.0}");
        s.putAsset("asset-1", new RecordingState.AssetRef("acct", "song é.flac", "file:///b/1", 42L));
        s.putAsset("asset-2", new RecordingState.AssetRef("acct2", null, null, 43L));
        s.markAnswered("req-1");
        s.pending.add(new RecordingState.PendingRequest("{\"request_id\":\"r\"}", 5L, 9L));
        s.blobLocation = "file:///b/1";
        s.durationSeconds = 12.5;
        s.decodeFailure = new RecordingState.Failure("corrupt", "bad frames");

        byte[] bytes = SimpleVersionedSerialization.writeVersionAndSerialize(RecordingStateSerializer.INSTANCE, s);
        RecordingState back = SimpleVersionedSerialization.readVersionAndDeSerialize(RecordingStateSerializer.INSTANCE, bytes);

        assertThat(back.results).isEqualTo(s.results);
        assertThat(back.summaries).isEqualTo(s.summaries);
        assertThat(back.assets).isEqualTo(s.assets);
        assertThat(back.assets.keySet()).containsExactly("asset-1", "asset-2");
        assertThat(back.recentRequests).containsExactly("req-1");
        assertThat(back.pending).isEqualTo(s.pending);
        assertThat(back.blobLocation).isEqualTo(s.blobLocation);
        assertThat(back.durationSeconds).isEqualTo(12.5);
        assertThat(back.decodeFailure).isEqualTo(s.decodeFailure);
    }

    @Test
    void anUnknownVersionIsRefusedNotMisread() {
        assertThatThrownBy(() -> RecordingStateSerializer.INSTANCE.deserialize(2, new byte[0]))
                .hasMessageContaining("version 2");
    }

    @Test
    void collectionsAreBounded() {
        RecordingState s = new RecordingState();
        for (int i = 0; i < 500; i++) s.markAnswered("r" + i);
        for (int i = 0; i < 2_000; i++) s.putAsset("a" + i, new RecordingState.AssetRef("acct", null, null, i));
        assertThat(s.recentRequests).hasSize(RecordingState.MAX_RECENT_REQUESTS).endsWith("r499");
        assertThat(s.assets).hasSize(RecordingState.MAX_ASSETS).containsKey("a1999");
    }
}
