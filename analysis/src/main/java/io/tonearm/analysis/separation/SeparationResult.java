package io.tonearm.analysis.separation;

import io.tonearm.analysis.output.OutputRef;

import java.util.Map;

/**
 * Stems of one recording, each a WAV file at the input's rate and channel count that, summed, give back the mix.
 *
 * @param stems      stem name ({@code vocals}, {@code instrumental} or {@code drums}, {@code bass}, {@code vocals},
 *                   {@code other}) to its stored file
 * @param method     the separator that produced them ({@code dsp}, later {@code onnx})
 */
public record SeparationResult(Map<String, OutputRef> stems, String method, int sampleRate, int channels) {
}
