package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanStateSerializerTest {

    private final ScanStateSerializer serializer = new ScanStateSerializer();

    @Test
    void roundTripsKnownVersionsAndPendingSplits() throws IOException {
        FileSourceSplit split = new FileSourceSplit("file:/c/a.wav@5:10", new Path("file:/c/a.wav"), 0, 10, 5, 10);
        ScanState state = new ScanState(Map.of("file:/c/a.wav", new FileVersion(10, 5), "s3://b/x.flac", new FileVersion(7, 9)),
                List.of(split));

        ScanState back = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(back.known()).isEqualTo(state.known());
        assertThat(back.pending()).singleElement().satisfies(s -> {
            assertThat(s.splitId()).isEqualTo(split.splitId());
            assertThat(s.path()).isEqualTo(split.path());
            assertThat(s.fileSize()).isEqualTo(10);
            assertThat(s.fileModificationTime()).isEqualTo(5);
        });
    }

    @Test
    void refusesAVersionItDoesNotKnow() {
        assertThatThrownBy(() -> serializer.deserialize(ScanStateSerializer.CURRENT_VERSION + 1, new byte[0]))
                .isInstanceOf(IOException.class).hasMessageContaining("version");
    }
}
