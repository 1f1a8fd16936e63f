package io.tonearm.analysis;

/** Receives a signal block by block, as TarsosDSP's AudioProcessor does; the buffer is reused after the call. */
public interface SampleListener {

    /**
     * @param samples interleaved samples (for the analysis signal: mono); valid only during the call
     * @param offset index of the first sample in {@code samples}
     * @param frames number of frames (samples per channel) in this block
     */
    void samples(float[] samples, int offset, int frames);

    /** The recording has ended; no more samples follow. */
    default void end() {
    }
}
