package io.tonearm.analysis.run;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.Provenance.SignalInfo;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.signal.AnalysisSignalConverter;
import io.tonearm.analysis.signal.SignalConverter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one pass over a recording: the decoded blocks go to every original-signal subscriber, and (converted once)
 * to every analysis-signal subscriber. Each analyzer and each shared feature owns a {@link Slot}; a subscriber
 * that throws is dropped and fails only its slot and the analyzers that depend on it.
 */
final class StreamingRecording implements RecordingContext {

    /** An analyzer run or a shared feature: what it subscribed to, what it depends on, whether it failed. */
    static final class Slot {
        final String label;
        final Set<Slot> dependencies = new LinkedHashSet<>();
        boolean usesOriginal;
        boolean usesAnalysis;
        long nanos;
        private Throwable failure;

        Slot(String label) {
            this.label = label;
        }

        void fail(Throwable t) {
            if (failure == null) failure = t;
        }

        /** Its own failure or the first failure of anything it depends on. */
        Throwable failure() {
            if (failure != null) return failure;
            for (Slot d : dependencies) {
                Throwable f = d.failure();
                if (f != null) return f;
            }
            return null;
        }

        boolean usesOriginalTransitively() {
            return usesOriginal || dependencies.stream().anyMatch(Slot::usesOriginalTransitively);
        }
    }

    private record Subscriber(Slot slot, SampleListener listener) {
    }

    private final AudioInfo info;
    private final OutputStore outputs;
    private final List<Subscriber> original = new ArrayList<>();
    private final List<Subscriber> analysis = new ArrayList<>();
    private final Map<Feature<?>, Object> features = new IdentityHashMap<>();
    private final Map<Feature<?>, Slot> featureSlots = new IdentityHashMap<>();
    private final List<Slot> slots = new ArrayList<>();
    private Slot current;
    private SignalConverter converter;
    private float[] mono = new float[0];
    private long conversionNanos;

    StreamingRecording(AudioInfo info, OutputStore outputs) {
        this.info = info;
        this.outputs = outputs;
    }

    @Override
    public OutputStore outputs() {
        return outputs;
    }

    Slot slot(String label) {
        Slot s = new Slot(label);
        slots.add(s);
        return s;
    }

    /** Runs {@code body} with {@code slot} as the owner of whatever it subscribes or requests. */
    <T> T within(Slot slot, Supplier<T> body) {
        Slot previous = current;
        current = slot;
        try {
            return timed(slot, body);
        } finally {
            current = previous;
        }
    }

    <T> T timed(Slot slot, Supplier<T> body) {
        long t0 = System.nanoTime();
        try {
            return body.get();
        } finally {
            slot.nanos += System.nanoTime() - t0;
        }
    }

    @Override
    public AudioInfo info() {
        return info;
    }

    @Override
    public void onOriginal(SampleListener listener) {
        owner().usesOriginal = true;
        original.add(new Subscriber(owner(), listener));
    }

    @Override
    public void onAnalysisSignal(SampleListener listener) {
        owner().usesAnalysis = true;
        analysis.add(new Subscriber(owner(), listener));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <F> F feature(Feature<F> feature) {
        Slot requester = owner();
        Slot slot = featureSlots.get(feature);
        if (slot == null) {
            slot = slot("feature:" + feature.getClass().getSimpleName());
            featureSlots.put(feature, slot);
            Slot s = slot;
            try {
                features.put(feature, within(s, () -> feature.create(this)));
            } catch (RuntimeException e) {
                s.fail(e);
            }
        }
        requester.dependencies.add(slot);
        return (F) features.get(feature);
    }

    private Slot owner() {
        if (current == null) throw new IllegalStateException("subscribe only from Analyzer.start or Feature.create");
        return current;
    }

    void dispatch(float[] interleaved, int frames) {
        deliver(original, interleaved, frames);
        if (analysis.isEmpty()) return;
        long t0 = System.nanoTime();
        int n = converter().convert(interleaved, frames, monoBuffer(frames));
        conversionNanos += System.nanoTime() - t0;
        deliver(analysis, mono, n);
    }

    /** Another recording's blocks, already converted (a {@link SideLane}'s): to the subscribers of that signal only. */
    void dispatchConverted(boolean originalSignal, float[] samples, int frames) {
        deliver(originalSignal ? original : analysis, samples, frames);
    }

    void end() {
        if (!analysis.isEmpty()) {
            long t0 = System.nanoTime();
            int n = converter().flush(monoBuffer(0));
            conversionNanos += System.nanoTime() - t0;
            if (n > 0) deliver(analysis, mono, n);
        }
        endSubscribers();
    }

    /** Tells every subscriber that no more samples follow (after {@link #dispatchConverted}: nothing to flush). */
    void endSubscribers() {
        for (List<Subscriber> list : List.of(original, analysis)) {
            for (Subscriber s : list) {
                if (s.slot.failure != null) continue;
                try {
                    timed(s.slot, () -> {
                        s.listener.end();
                        return null;
                    });
                } catch (RuntimeException e) {
                    s.slot.fail(e);
                }
            }
        }
    }

    private void deliver(List<Subscriber> subscribers, float[] samples, int frames) {
        for (Subscriber s : subscribers) {
            if (s.slot.failure != null) continue;
            long t0 = System.nanoTime();
            try {
                s.listener.samples(samples, 0, frames);
            } catch (RuntimeException e) {
                s.slot.fail(e);
            }
            s.slot.nanos += System.nanoTime() - t0;
        }
    }

    boolean usesOriginal() {
        return !original.isEmpty();
    }

    boolean usesAnalysis() {
        return !analysis.isEmpty();
    }

    private SignalConverter converter() {
        if (converter == null) converter = new AnalysisSignalConverter(info.sampleRate(), info.channels(), ANALYSIS_RATE);
        return converter;
    }

    private float[] monoBuffer(int frames) {
        int need = converter().maxOutput(frames);
        if (mono.length < need) mono = new float[need];
        return mono;
    }

    long conversionNanos() {
        return conversionNanos;
    }

    /** The signal a slot consumed: the original when it (or a feature it uses) read the original, else the analysis signal. */
    SignalInfo signalOf(Slot slot) {
        return slot.usesOriginalTransitively()
                ? new SignalInfo(info.sampleRate(), info.channels(), "none")
                : new SignalInfo(ANALYSIS_RATE, 1, "mean");
    }

    Map<String, Long> timings() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Slot s : slots) out.merge(s.label, s.nanos, Long::sum);
        return out;
    }
}
