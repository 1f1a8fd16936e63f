package io.tonearm.analysis;

/**
 * One analysis method (tempo, key, loudness, ...). An analyzer is stateless and shared: everything that
 * depends on a recording lives in the {@link Run} that {@link #start} creates, so nothing carries over from
 * one recording to the next (Essentia's reset() problem cannot happen here).
 *
 * <p>Adding an analyzer = one class implementing this plus one line in {@code StandardAnalyzers}.
 *
 * @param <R> the typed result, a record serialized with snake_case field names
 */
public interface Analyzer<R> {

    /** Name, version, aliases and declared parameters; drives validation, docs and result identity. */
    AnalyzerSpec spec();

    /**
     * Prepares one recording's analysis: subscribe to the signals ({@link RecordingContext#onOriginal},
     * {@link RecordingContext#onAnalysisSignal}) or shared features ({@link RecordingContext#feature})
     * the method needs. Called before any audio flows.
     */
    Run<R> start(Params params, RecordingContext recording);

    /**
     * True when nothing this analyzer subscribes to serves another analyzer (the fingerprint's own spectrogram), so
     * a runner with other analyzers to run on the same decode may run it on a thread beside them: the recording's
     * analysis then takes the longer of the two instead of their sum, on a machine with a core to spare.
     */
    default boolean runsBesideOthers() {
        return false;
    }

    /**
     * True when the result is output files the run must keep (stems, mastered audio): a run that keeps none
     * ({@link io.tonearm.analysis.output.OutputStore#NONE}, e.g. the API's SSE stream) cannot produce it, so such a
     * caller refuses the analyzer up front instead of decoding for a certain failure. An analyzer whose files are
     * extras beside its result (transcription's MIDI) says false.
     */
    default boolean writesOutputFiles() {
        return false;
    }

    /** Per-recording state of one analyzer. */
    interface Run<R> {
        /** Called once after the whole recording has streamed through; returns the result. */
        R finish();
    }
}
