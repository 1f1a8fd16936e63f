package io.tonearm.analysis;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.output.OutputStore;

/**
 * One recording as analyzers see it while it streams past once. Two signals are offered:
 * <ul>
 *   <li>the <b>original</b>: the decoder's output at the file's own sample rate, all channels, interleaved
 *       (loudness, true peak and waveform need this);</li>
 *   <li>the <b>analysis signal</b>: a mono downmix (mean of channels) at {@link #ANALYSIS_RATE} Hz, what the
 *       music analyzers (tempo, key, chords, pitch, onsets) work on.</li>
 * </ul>
 * Each is produced once and fanned out to every subscriber.
 */
public interface RecordingContext {

    /** Sample rate of the canonical analysis signal, in Hz. */
    int ANALYSIS_RATE = 22050;

    /** What the decoder reported about the recording before decoding. */
    AudioInfo info();

    /** Subscribes to the original signal: interleaved, {@code info().channels()} channels, {@code info().sampleRate()} Hz. */
    void onOriginal(SampleListener listener);

    /** Subscribes to the mono analysis signal at {@link #ANALYSIS_RATE} Hz. */
    void onAnalysisSignal(SampleListener listener);

    /** The shared per-recording instance of a feature, created (and subscribed) on first request. */
    <F> F feature(Feature<F> feature);

    /** Where this run keeps output files (MIDI, stems, mastered audio); {@link OutputStore#NONE} when it keeps none. */
    OutputStore outputs();
}
