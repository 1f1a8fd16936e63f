package io.tonearm.analysis.transcription;

import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;

/**
 * Basic Pitch's output for one recording, shared: {@code transcribe} and {@code segment-transcribe} asked together
 * run the network once per window over the one decode, and each makes its notes from the same posteriorgrams with
 * its own thresholds. The network is attached by the first analyzer that asks (from {@code start()}, before any
 * audio streams); pitch bends are kept when any of them wants them.
 */
final class BasicPitchActivations {

    static final Feature<BasicPitchActivations> FEATURE = BasicPitchActivations::new;

    private final Posteriorgrams posteriorgrams = new Posteriorgrams();
    private final BasicPitchWindows windows;
    private OrtSession session;
    private PitchBends bends;

    private BasicPitchActivations(RecordingContext recording) {
        this.windows = new BasicPitchWindows(posteriorgrams);
        recording.onAnalysisSignal(windows);
    }

    /**
     * Declares what an analyzer needs: the network's session (every analyzer of a run must use the same one) and
     * whether it wants pitch bends. Call from {@code Analyzer.start}.
     */
    void attach(OrtSession model, boolean wantsBends) {
        if (session == null) {
            session = model;
            windows.use(model);
        } else if (session != model) {
            throw new IllegalStateException("two different Basic Pitch models in one run");
        }
        if (wantsBends && bends == null) {
            bends = new PitchBends();
            windows.keepBends(bends);
        }
    }

    Posteriorgrams posteriorgrams() {
        return posteriorgrams;
    }

    /** The pitch bends; null unless an analyzer asked for them. */
    PitchBends bends() {
        return bends;
    }
}
