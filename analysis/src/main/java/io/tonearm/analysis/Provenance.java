package io.tonearm.analysis;

import io.tonearm.analysis.decode.Decoder.DecoderInfo;

import java.util.Map;

/**
 * How a result was computed: which decoder produced the PCM, which signal the analyzer consumed, and the
 * parameter values (defaults included) behind {@code params_hash}.
 */
public record Provenance(DecoderInfo decoder, SignalInfo signal, Map<String, Object> params, String paramsHash) {

    /**
     * @param downmix {@code none} for the original channels, {@code mean} for the mono analysis signal
     */
    public record SignalInfo(int sampleRate, int channels, String downmix) {
    }
}
