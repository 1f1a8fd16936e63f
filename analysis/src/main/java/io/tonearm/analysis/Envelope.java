package io.tonearm.analysis;

/**
 * The result envelope clients rely on: {@code {model_name, model_version, results}}, plus {@code provenance}
 * (decoder, analysis signal, parameters) so every stored result says how it was computed. The one definition
 * that the CLI, the SSE stream, the pipeline and the API all use.
 */
public record Envelope(String modelName, String modelVersion, Object results, Provenance provenance) {

    public static Envelope of(AnalyzerSpec spec, Object results, Provenance provenance) {
        return new Envelope(spec.name(), Integer.toString(spec.version()), results, provenance);
    }
}
