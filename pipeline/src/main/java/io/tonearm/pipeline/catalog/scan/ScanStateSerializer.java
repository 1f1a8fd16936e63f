package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Versioned form of {@link ScanState}; the pending splits keep {@link FileSourceSplitSerializer}'s own version. */
final class ScanStateSerializer implements SimpleVersionedSerializer<ScanState> {

    static final int CURRENT_VERSION = 1;
    private static final FileSourceSplitSerializer SPLITS = FileSourceSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ScanState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.known().size());
            for (Map.Entry<String, FileVersion> e : state.known().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().sizeBytes());
                out.writeLong(e.getValue().modifiedAt());
            }
            out.writeInt(SPLITS.getVersion());
            out.writeInt(state.pending().size());
            for (FileSourceSplit split : state.pending()) {
                byte[] b = SPLITS.serialize(split);
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public ScanState deserialize(int version, byte[] serialized) throws IOException {
        if (version != CURRENT_VERSION) {
            throw new IOException("unknown catalog scan state version " + version + " (known: " + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            Map<String, FileVersion> known = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                known.put(in.readUTF(), new FileVersion(in.readLong(), in.readLong()));
            }
            int splitVersion = in.readInt();
            int m = in.readInt();
            List<FileSourceSplit> pending = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                pending.add(SPLITS.deserialize(splitVersion, b));
            }
            return new ScanState(known, pending);
        }
    }
}
