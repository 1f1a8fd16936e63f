package io.tonearm.analysis.pitch;

/**
 * Cuts a streamed signal into frames of {@code size} samples whose centres fall on a time grid: frame
 * {@code i} is centred at sample {@code round(i * hopSeconds * rate)} (zero padding before the start and after
 * the end, as librosa's and torchcrepe's {@code center=True}). The grid is in seconds, not samples, so a
 * 10 ms hop stays on 10 ms at 22050 Hz and at 16000 Hz alike. Keeps only the last {@code size} samples.
 */
final class CenteredFrames {

    /** Receives each frame; {@code frame} is reused after the call. */
    interface Sink {
        void frame(float[] frame, long index);
    }

    private final int size;
    private final double hopSamples;
    private final float[] ring;
    private final float[] frame;
    private final Sink sink;
    private long written;      // samples written, counting the size/2 zeros of the start padding
    private long next;         // index of the next frame

    CenteredFrames(int size, double hopSeconds, double rate, Sink sink) {
        if (size < 2 || hopSeconds <= 0) throw new IllegalArgumentException(size + "/" + hopSeconds);
        this.size = size;
        this.hopSamples = hopSeconds * rate;
        this.ring = new float[size];
        this.frame = new float[size];
        this.sink = sink;
        this.written = size / 2;
    }

    void push(float[] samples, int offset, int n) {
        long end = frameEnd(next);
        for (int i = 0; i < n; i++) {
            ring[(int) (written % size)] = samples[offset + i];
            written++;
            while (written == end) {
                emit(end);
                end = frameEnd(next);
            }
        }
    }

    /** Emits every remaining frame whose centre lies inside the signal, padding with zeros. */
    void finish() {
        long samples = written - size / 2;
        while (centre(next) < samples) {
            long end = frameEnd(next);
            while (written < end) ring[(int) (written++ % size)] = 0f;
            emit(end);
        }
    }

    private long centre(long index) {
        return Math.round(index * hopSamples);
    }

    /** Index in the padded stream one past the frame's last sample. */
    private long frameEnd(long index) {
        return centre(index) + size;   // centre + size/2 in the signal, + size/2 of padding
    }

    private void emit(long end) {
        long start = end - size;
        for (int i = 0; i < size; i++) frame[i] = ring[(int) ((start + i) % size)];
        sink.frame(frame, next++);
    }
}
