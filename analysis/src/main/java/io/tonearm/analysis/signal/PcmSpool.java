package io.tonearm.analysis.signal;

import io.tonearm.analysis.SampleListener;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The decoded original kept on disk as interleaved 32-bit floats, for analyzers that need two passes over the
 * signal (measure, then process) or the exact frame count before writing (a WAV header): memory stays bounded
 * by one block whatever the duration. The temporary file is deleted on {@link #close()}.
 */
public final class PcmSpool implements SampleListener, Closeable {

    private static final int BLOCK_BYTES = 1 << 16;

    private final int channels;
    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    public PcmSpool(int channels) {
        this.channels = channels;
        try {
            this.file = Files.createTempFile("tonearm-spool-", ".f32");
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary spool file", e);
        }
    }

    @Override
    public void samples(float[] samples, int offset, int frames) {
        int n = frames * channels;
        try {
            for (int i = 0; i < n; i++) {
                if (!buffer.hasRemaining()) flush();
                buffer.putFloat(samples[offset + i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool file", e);
        }
        this.frames += frames;
    }

    @Override
    public void end() {
        try {
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool file", e);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }

    public int channels() {
        return channels;
    }

    /** Frames (samples per channel) spooled so far. */
    public long frames() {
        return frames;
    }

    /** Streams the whole spool, from the start, to {@code listener} in blocks (then calls its {@code end()}); may be repeated. */
    public void replay(SampleListener listener) throws IOException {
        flush();
        int framesPerBlock = BLOCK_BYTES / 4 / channels;
        float[] block = new float[framesPerBlock * channels];
        ByteBuffer in = ByteBuffer.allocateDirect(framesPerBlock * channels * 4).order(ByteOrder.LITTLE_ENDIAN);
        long position = 0;
        long remaining = frames;
        while (remaining > 0) {
            int n = (int) Math.min(framesPerBlock, remaining);
            in.clear().limit(n * channels * 4);
            while (in.hasRemaining()) {
                int read = channel.read(in, position + in.position());
                if (read < 0) throw new IOException("spool file ended early");
            }
            in.flip();
            in.asFloatBuffer().get(block, 0, n * channels);
            listener.samples(block, 0, n);
            position += (long) n * channels * 4;
            remaining -= n;
        }
        listener.end();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
