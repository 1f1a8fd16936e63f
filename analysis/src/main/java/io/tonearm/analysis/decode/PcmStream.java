package io.tonearm.analysis.decode;

/** Decoded audio, read block by block; interleaved float samples in [-1, 1] (a little over 1 is allowed). */
public interface PcmStream extends AutoCloseable {

    /**
     * Fills {@code buffer} from index 0 with up to {@code maxFrames} interleaved frames.
     *
     * @return frames read, or -1 at the end of a stream that decoded cleanly
     * @throws DecodeException when the input turns out broken (including at the end: truncation, no samples)
     */
    int read(float[] buffer, int maxFrames) throws DecodeException;

    /** Frames delivered so far. */
    long framesRead();

    /** Stops decoding and releases the decoder (kills a child process). Idempotent. */
    @Override
    void close();
}
