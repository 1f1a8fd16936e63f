package io.tonearm.analysis.separation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tonearm.analysis.output.OutputRef;

import java.util.List;
import java.util.Map;

/**
 * Stems of one recording, each a WAV file at the input's rate and channel count that, summed, give back the mix.
 *
 * @param stems      stem name ({@code vocals}, {@code instrumental} or {@code drums}, {@code bass}, {@code vocals},
 *                   {@code other}) to its stored file
 * @param method     the separator that produced them ({@code dsp} or {@code onnx})
 * @param model      with {@code onnx}: which network ran (absent with {@code dsp})
 */
public record SeparationResult(Map<String, OutputRef> stems, String method, int sampleRate, int channels,
                               @JsonInclude(JsonInclude.Include.NON_NULL) ModelInfo model) {

    /**
     * The operator's separation network: the parameters do not name it, so the result does.
     *
     * @param name       the sidecar's {@code name}
     * @param sha256     of the ONNX file
     * @param sampleRate the rate it ran at (the stems are resampled back to the input's)
     * @param stems      its own output stems, in order
     */
    public record ModelInfo(String name, String sha256, int sampleRate, List<String> stems) {
    }
}
