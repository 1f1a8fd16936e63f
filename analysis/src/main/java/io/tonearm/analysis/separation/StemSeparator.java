package io.tonearm.analysis.separation;

import io.tonearm.analysis.signal.PcmSpool;

import java.io.IOException;

/**
 * One source-separation method behind the {@code separate-*} analyzers: the signal-processing one
 * ({@link MedianFilterSeparator}) or an operator-configured network ({@link OnnxSeparator}). A separator reads the whole
 * mix from the spool and writes every stem of the set at the mix's rate and channel count, frame for frame
 * (each stem exactly {@code mix.frames()} long).
 */
public interface StemSeparator {

    /** The {@code method} parameter value that selects this separator, reported in results. */
    String method();

    /** The network that separates, reported in the result; null for signal processing. */
    default SeparationResult.ModelInfo model() {
        return null;
    }

    void separate(PcmSpool mix, int sampleRate, StemSet stems, StemSink sink) throws IOException;

    /** Receives consecutive blocks of each stem, interleaved like the mix. */
    interface StemSink {
        void write(int stem, float[] interleaved, int offset, int frames) throws IOException;
    }
}
