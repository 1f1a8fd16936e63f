package io.tonearm.analysis.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes synthesized PCM as a RIFF/WAVE file, so tests can run real files through the real decoder. */
public final class WavFiles {

    private WavFiles() {
    }

    /** Interleaved samples as WAV: bits 16 or 24 (integer PCM) or 32 (IEEE float). */
    public static Path write(Path file, float[] interleaved, int rate, int channels, int bits) throws IOException {
        int bytesPer = bits / 8;
        int dataBytes = interleaved.length * bytesPer;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) (bits == 32 ? 3 : 1))
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bytesPer)
                .putShort((short) (channels * bytesPer)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (float x : interleaved) {
            if (bits == 32) {
                b.putFloat(x);
            } else if (bits == 16) {
                b.putShort((short) Math.round(x * 32767));
            } else {
                int v = Math.round(x * 8388607);
                b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
            }
        }
        Files.write(file, b.array());
        return file;
    }
}
