package io.tonearm.analysis.signal;

/**
 * Turns interleaved multichannel blocks at the source rate into the mono analysis signal at the target rate:
 * downmix (mean of channels) then band-limited resampling. Streaming: state carries across blocks, so a
 * recording of any length passes through in constant memory.
 */
public interface SignalConverter {

    /**
     * Converts one block; returns how many output samples were written to {@code out} from index 0.
     * {@code out} must hold at least {@link #maxOutput(int)} samples for this block's frame count.
     */
    int convert(float[] interleaved, int frames, float[] out);

    /** Flushes what the filter still holds at the end of the recording into {@code out}; returns the count. */
    int flush(float[] out);

    /** Upper bound of output samples for an input block of {@code frames} frames (flush included). */
    int maxOutput(int frames);
}
