package io.tonearm.analysis.separation;

import io.tonearm.analysis.models.ModelStore;

import java.util.List;

/**
 * Chooses the separator for the {@code method} parameter: {@code dsp} needs nothing; {@code onnx} runs the
 * operator's network from the models directory ({@link SeparationModel}) and fails with the reason when it is
 * missing or does not fit the contract, never falling back to the DSP method silently.
 */
final class StemSeparators {

    static final String DSP = "dsp";
    static final String ONNX = "onnx";
    static final List<String> METHODS = List.of(DSP, ONNX);

    private StemSeparators() {
    }

    /**
     * @param models where {@code onnx} finds the network
     * @param stems  what the separator must deliver (a network that has none of these stems is refused here)
     */
    static StemSeparator forMethod(String method, ModelStore models, StemSet stems) {
        return switch (method) {
            case DSP -> new MedianFilterSeparator();
            case ONNX -> new OnnxSeparator(SeparationModel.load(models), stems);
            default -> throw new IllegalArgumentException("unknown separation method '" + method + "'; use one of " + METHODS);
        };
    }
}
