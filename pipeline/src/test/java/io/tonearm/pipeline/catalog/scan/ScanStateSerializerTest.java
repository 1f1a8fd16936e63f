package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanStateSerializerTest {

    private final ScanStateSerializer serializer = new ScanStateSerializer();
    private final FileSourceSplit split = new FileSourceSplit("file:/c/a.wav@5:10", new Path("file:/c/a.wav"), 0, 10, 5, 10);

    @Test
    void roundTripsKnownAndPendingVersionsAndUnassignedSplits() throws IOException {
        ScanState state = new ScanState(Map.of("file:/c/a.wav", new FileVersion(10, 5), "s3://b/x.flac", new FileVersion(7, 9)),
                Map.of("file:/c/copying.wav", new FileVersion(4096, 11)), List.of(split));

        ScanState back = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(back.known()).isEqualTo(state.known());
        assertThat(back.pending()).isEqualTo(state.pending());
        assertThat(back.unassigned()).singleElement().satisfies(this::isTheSplit);
    }

    /** A savepoint of the scan before files had to be seen twice: what it knew stays known, nothing is pending. */
    @Test
    void readsVersionOneWhichHadNoPendingFiles() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1);
            out.writeUTF("file:/c/a.wav");
            out.writeLong(10);
            out.writeLong(5);
            out.writeInt(FileSourceSplitSerializer.INSTANCE.getVersion());
            out.writeInt(1);
            byte[] b = FileSourceSplitSerializer.INSTANCE.serialize(split);
            out.writeInt(b.length);
            out.write(b);
        }

        ScanState back = serializer.deserialize(1, bytes.toByteArray());

        assertThat(back.known()).containsExactly(Map.entry("file:/c/a.wav", new FileVersion(10, 5)));
        assertThat(back.pending()).isEmpty();
        assertThat(back.unassigned()).singleElement().satisfies(this::isTheSplit);
    }

    @Test
    void refusesAVersionItDoesNotKnow() {
        assertThatThrownBy(() -> serializer.deserialize(ScanStateSerializer.CURRENT_VERSION + 1, new byte[0]))
                .isInstanceOf(IOException.class).hasMessageContaining("version");
    }

    private void isTheSplit(FileSourceSplit s) {
        assertThat(s.splitId()).isEqualTo(split.splitId());
        assertThat(s.path()).isEqualTo(split.path());
        assertThat(s.fileSize()).isEqualTo(10);
        assertThat(s.fileModificationTime()).isEqualTo(5);
    }
}
