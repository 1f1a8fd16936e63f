package io.tonearm.analysis.registry;

import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a {@value #SHA256} parameter (a catalog recording, part of the result's identity) into the local
 * {@value #PATH} the analyzer reads, for analyzers that declare both (e.g. mastering's tonal balance reference).
 * Requests can only name recordings by content; where their bytes are is this machine's business, so the one place
 * that knows blob locations (the pipeline, or a test's stand-in) resolves them right before the run. A sha256 it
 * cannot locate is left as it is, and the analyzer fails with that reason.
 */
public final class ReferenceResolver {

    public static final String SHA256 = "reference_sha256";
    public static final String PATH = "reference_path";

    private final Function<String, Optional<Path>> locate;

    /** @param locate a recording's sha256 to its local file, empty when unknown or not readable here */
    public ReferenceResolver(Function<String, Optional<Path>> locate) {
        this.locate = locate;
    }

    public Selection resolve(Selection s) {
        Params params = s.params();
        if (!declares(s) || !params.has(SHA256) || params.has(PATH)) return s;
        return locate.apply(params.string(SHA256))
                .map(path -> new Selection(s.key(), s.analyzer(), params.withLocal(PATH, path.toString())))
                .orElse(s);
    }

    private static boolean declares(Selection s) {
        boolean sha = false;
        boolean path = false;
        for (ParamSpec p : s.analyzer().spec().params()) {
            sha |= p.name().equals(SHA256);
            path |= p.name().equals(PATH) && p.local();
        }
        return sha && path;
    }
}
