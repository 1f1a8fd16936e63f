package io.tonearm.analysis;

/**
 * An intermediate representation several analyzers share (a spectrogram, an onset envelope, a chromagram).
 * Each feature is computed once per recording however many analyzers ask for it: {@link RecordingContext#feature}
 * memoizes by the feature constant's identity, so declare features as {@code static final} constants.
 *
 * @param <F> the per-recording feature object; it subscribes to signals in {@link #create} and exposes its
 *            values after the recording ends
 */
@FunctionalInterface
public interface Feature<F> {
    F create(RecordingContext recording);
}
