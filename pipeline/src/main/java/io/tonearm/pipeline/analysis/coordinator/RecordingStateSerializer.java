package io.tonearm.pipeline.analysis.coordinator;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;

/**
 * Versioned binary form of {@link RecordingState}. The keyed state holds {@code [version][bytes]}
 * ({@link org.apache.flink.core.io.SimpleVersionedSerialization}), so a later release that changes the layout
 * bumps {@link #CURRENT_VERSION} and keeps reading version 1 from old checkpoints and savepoints.
 */
final class RecordingStateSerializer implements SimpleVersionedSerializer<RecordingState> {

    static final RecordingStateSerializer INSTANCE = new RecordingStateSerializer();
    static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RecordingState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(s.results.size());
        for (Map.Entry<String, RecordingState.ResultMark> e : s.results.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeBoolean(e.getValue().succeeded());
            writeNullable(out, e.getValue().error());
        }
        out.writeInt(s.summaries.size());
        for (Map.Entry<String, String> e : s.summaries.entrySet()) {
            out.writeUTF(e.getKey());
            writeLong(out, e.getValue());
        }
        out.writeInt(s.assets.size());
        for (Map.Entry<String, RecordingState.AssetRef> e : s.assets.entrySet()) {
            RecordingState.AssetRef a = e.getValue();
            out.writeUTF(e.getKey());
            out.writeUTF(a.accountId());
            writeNullable(out, a.filename());
            writeNullable(out, a.blobLocation());
            out.writeLong(a.createdAtMillis());
        }
        out.writeInt(s.recentRequests.size());
        for (String id : s.recentRequests) out.writeUTF(id);
        out.writeInt(s.pending.size());
        for (RecordingState.PendingRequest p : s.pending) {
            writeLong(out, p.json());
            out.writeLong(p.arrivedAtMillis());
            out.writeLong(p.retryAtMillis());
        }
        writeNullable(out, s.blobLocation);
        out.writeBoolean(s.durationSeconds != null);
        if (s.durationSeconds != null) out.writeDouble(s.durationSeconds);
        out.writeBoolean(s.decodeFailure != null);
        if (s.decodeFailure != null) {
            out.writeUTF(s.decodeFailure.code());
            writeLong(out, s.decodeFailure.message());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RecordingState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1) throw new IOException("unknown RecordingState version " + version);
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        RecordingState s = new RecordingState();
        for (int i = 0, n = in.readInt(); i < n; i++) {
            s.results.put(in.readUTF(), new RecordingState.ResultMark(in.readBoolean(), readNullable(in)));
        }
        for (int i = 0, n = in.readInt(); i < n; i++) {
            s.summaries.put(in.readUTF(), readLong(in));
        }
        for (int i = 0, n = in.readInt(); i < n; i++) {
            String id = in.readUTF();
            s.assets.put(id, new RecordingState.AssetRef(in.readUTF(), readNullable(in), readNullable(in), in.readLong()));
        }
        for (int i = 0, n = in.readInt(); i < n; i++) s.recentRequests.addLast(in.readUTF());
        for (int i = 0, n = in.readInt(); i < n; i++) {
            s.pending.add(new RecordingState.PendingRequest(readLong(in), in.readLong(), in.readLong()));
        }
        s.blobLocation = readNullable(in);
        if (in.readBoolean()) s.durationSeconds = in.readDouble();
        if (in.readBoolean()) s.decodeFailure = new RecordingState.Failure(in.readUTF(), readLong(in));
        return s;
    }

    private static void writeNullable(DataOutputSerializer out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) writeLong(out, s);
    }

    private static String readNullable(DataInputDeserializer in) throws IOException {
        return in.readBoolean() ? readLong(in) : null;
    }

    /** Strings without writeUTF's 64 KB limit (error messages, request JSON). */
    private static void writeLong(DataOutputSerializer out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputDeserializer in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
