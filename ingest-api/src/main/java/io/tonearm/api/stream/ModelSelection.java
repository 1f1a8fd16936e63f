package io.tonearm.api.stream;

import io.javalin.http.HttpStatus;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.registry.UnknownModelException;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.processing.Process;
import io.tonearm.api.processing.Processes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code models=key:1,bpm_degara,loudness-ebur128} and optional per-model parameters as query parameters
 * {@code <model>.<param>=value}, spelled with the model as written in {@code models} (e.g.
 * {@code pitch.method=crepe}, {@code lufs.…} when {@code models=lufs}). Validated by the registry: unknown
 * models, versions or parameters and bad values are 422 with what exists. A model whose result is output files
 * (master, separate-2stem, separate-4stem) is 400 {@code model_not_streamable} naming its job endpoint: the stream
 * keeps no files, so it could only fail after decoding the whole recording.
 */
final class ModelSelection {

    private ModelSelection() {
    }

    static List<Selection> parse(AnalyzerRegistry registry, String models, Map<String, List<String>> query) {
        if (models == null || models.isBlank()) {
            throw ApiException.badRequest("missing_models", "models is required, e.g. models=lufs,pitch; available: "
                    + registry.available());
        }
        List<String> selectors = new ArrayList<>();
        Set<String> requested = new LinkedHashSet<>();
        for (String item : models.split(",")) {
            String s = item.strip();
            if (!s.isEmpty()) {
                selectors.add(s);
                requested.add(nameOf(s));
            }
        }
        Map<String, Map<String, String>> params = new LinkedHashMap<>();
        query.forEach((name, values) -> {
            int dot = name.indexOf('.');
            if (dot <= 0 || values.isEmpty()) {
                return;
            }
            String model = name.substring(0, dot).toLowerCase(Locale.ROOT);
            if (!requested.contains(model)) {
                throw unprocessable("invalid_parameter", "parameter " + name + " names a model that is not in models="
                        + models);
            }
            params.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(name.substring(dot + 1), values.get(0));
        });
        List<Selection> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String s : selectors) {
            Selection selection;
            try {
                selection = registry.select(s, params.getOrDefault(nameOf(s), Map.of()));
            } catch (UnknownModelException e) {
                throw unprocessable("unknown_model", e.getMessage());
            } catch (IllegalArgumentException e) {
                throw unprocessable("invalid_parameter", e.getMessage());
            }
            if (selection.analyzer().writesOutputFiles()) {
                throw notStreamable(selection.analyzer().spec().name());
            }
            if (seen.add(selection.key())) {
                out.add(selection);
            }
        }
        if (out.isEmpty()) {
            throw ApiException.badRequest("missing_models", "models names no model; available: " + registry.available());
        }
        return out;
    }

    private static String nameOf(String selector) {
        int colon = selector.indexOf(':');
        return (colon < 0 ? selector : selector.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    private static ApiException notStreamable(String model) {
        String job = Processes.jobRunning(model).map(Process::path).map(p -> "POST " + p).orElse("a job endpoint");
        return ApiException.badRequest("model_not_streamable", model + " produces output files and the stream keeps "
                + "none; request it as a job with " + job + " and download its outputs from GET /v1/jobs/{id}");
    }

    private static ApiException unprocessable(String code, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, message);
    }
}
