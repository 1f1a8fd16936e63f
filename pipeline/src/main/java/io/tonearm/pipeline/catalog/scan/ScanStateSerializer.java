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

/**
 * Versioned form of {@link ScanState}; the unassigned splits keep {@link FileSourceSplitSerializer}'s own version.
 * Version 1 (before files had to be seen twice) had no pending map: restored, it has none pending, and every file it
 * knew stays known.
 */
final class ScanStateSerializer implements SimpleVersionedSerializer<ScanState> {

    static final int CURRENT_VERSION = 2;
    private static final FileSourceSplitSerializer SPLITS = FileSourceSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ScanState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeVersions(out, state.known());
            writeVersions(out, state.pending());
            out.writeInt(SPLITS.getVersion());
            out.writeInt(state.unassigned().size());
            for (FileSourceSplit split : state.unassigned()) {
                byte[] b = SPLITS.serialize(split);
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public ScanState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != CURRENT_VERSION) {
            throw new IOException("unknown catalog scan state version " + version + " (known: 1, " + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            Map<String, FileVersion> known = readVersions(in);
            Map<String, FileVersion> pending = version == 1 ? Map.of() : readVersions(in);
            int splitVersion = in.readInt();
            int m = in.readInt();
            List<FileSourceSplit> unassigned = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                unassigned.add(SPLITS.deserialize(splitVersion, b));
            }
            return new ScanState(known, pending, unassigned);
        }
    }

    private static void writeVersions(DataOutputStream out, Map<String, FileVersion> versions) throws IOException {
        out.writeInt(versions.size());
        for (Map.Entry<String, FileVersion> e : versions.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().sizeBytes());
            out.writeLong(e.getValue().modifiedAt());
        }
    }

    private static Map<String, FileVersion> readVersions(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, FileVersion> versions = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            versions.put(in.readUTF(), new FileVersion(in.readLong(), in.readLong()));
        }
        return versions;
    }
}
