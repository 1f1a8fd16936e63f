package io.tonearm.api.renditions;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.errors.ApiException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code enable_thumbnail} and {@code enable_hls} from a request: {@code true}/{@code false} in a form or the
 * query string, JSON booleans in a JSON body. Anything else is a 400, never silently "false".
 */
public final class RenditionFlags {

    private RenditionFlags() {
    }

    /** From form fields or query parameters, looked up by {@code param}. */
    public static Set<RenditionKind> fromParams(Function<String, String> param) {
        Set<RenditionKind> out = EnumSet.noneOf(RenditionKind.class);
        for (RenditionKind k : RenditionKind.values()) {
            String v = param.apply(k.flag());
            if (v == null) {
                continue;
            }
            switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> out.add(k);
                case "false" -> {
                }
                default -> throw invalid(k);
            }
        }
        return out;
    }

    /** From a JSON object's fields. */
    public static Set<RenditionKind> fromJson(JsonNode body) {
        Set<RenditionKind> out = EnumSet.noneOf(RenditionKind.class);
        for (RenditionKind k : RenditionKind.values()) {
            JsonNode v = body.get(k.flag());
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isBoolean()) {
                throw invalid(k);
            }
            if (v.booleanValue()) {
                out.add(k);
            }
        }
        return out;
    }

    private static ApiException invalid(RenditionKind k) {
        return ApiException.badRequest("invalid_parameter", k.flag() + " must be true or false");
    }
}
