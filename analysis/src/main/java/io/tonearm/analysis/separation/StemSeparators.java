package io.tonearm.analysis.separation;

import java.util.List;

/**
 * Chooses the separator for the {@code method} parameter. {@code onnx} is reserved for an operator-configured
 * separation network (e.g. an Open-Unmix or Demucs export); no such model is wired in this version, so asking
 * for it fails with a message that says so instead of silently falling back to the DSP method.
 */
final class StemSeparators {

    static final String DSP = "dsp";
    static final String ONNX = "onnx";
    static final List<String> METHODS = List.of(DSP, ONNX);
    /** System property naming the operator's separation model file (read by a future ONNX separator). */
    static final String MODEL_PROPERTY = "tonearm.separation.model";

    private StemSeparators() {
    }

    static StemSeparator forMethod(String method) {
        return switch (method) {
            case DSP -> new MedianFilterSeparator();
            case ONNX -> throw new IllegalStateException(onnxUnavailable());
            default -> throw new IllegalArgumentException("unknown separation method '" + method + "'; use one of " + METHODS);
        };
    }

    private static String onnxUnavailable() {
        String configured = System.getProperty(MODEL_PROPERTY);
        return configured == null || configured.isBlank()
                ? "method 'onnx' needs an operator-configured separation model (system property " + MODEL_PROPERTY
                        + "); none is configured. Use method 'dsp'."
                : "method 'onnx': a separation model is configured (" + configured + ") but this version has no ONNX "
                        + "separator to run it yet. Use method 'dsp'.";
    }
}
