package io.tonearm.analysis.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes interleaved float samples as a RIFF/WAVE file of 32-bit IEEE floats (format 3, with the {@code fact}
 * chunk it requires), so stems and mastered mixes keep the decoder's precision: stems sum back to the mix
 * exactly and nothing clips. The frame count must be known up front, as output streams cannot seek back.
 */
public final class WavWriter {

    public static final String MEDIA_TYPE = "audio/wav";

    private final OutputStream out;
    private final int channels;
    private final long expectedSamples;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    public WavWriter(OutputStream out, int sampleRate, int channels, long frames) throws IOException {
        this.out = out;
        this.channels = channels;
        this.expectedSamples = frames * channels;
        long dataBytes = expectedSamples * 4;
        if (dataBytes > 0xFFFF_FFFFL - 58) throw new IOException("too long for a WAV file: " + frames + " frames");
        ByteBuffer h = ByteBuffer.allocate(58).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt((int) (50 + dataBytes)).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(18).putShort((short) 3).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 4).putShort((short) (channels * 4)).putShort((short) 32).putShort((short) 0);
        h.put(ascii("fact")).putInt(4).putInt((int) frames);
        h.put(ascii("data")).putInt((int) dataBytes);
        out.write(h.array());
    }

    /** Appends {@code frames} interleaved frames. */
    public void write(float[] samples, int offset, int frames) throws IOException {
        int n = frames * channels;
        for (int i = 0; i < n; i++) {
            if (!buffer.hasRemaining()) drain();
            buffer.putFloat(samples[offset + i]);
        }
        written += n;
    }

    /** Flushes; fails if fewer or more frames were written than the header declares. */
    public void finish() throws IOException {
        drain();
        out.flush();
        if (written != expectedSamples) {
            throw new IOException("WAV header declares " + expectedSamples + " samples, " + written + " were written");
        }
    }

    private void drain() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
