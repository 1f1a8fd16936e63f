package io.tonearm.events;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for an asset's metadata, shared by the API's {@code PATCH /v1/assets/{id}} and the Kafka ingestion:
 * well-known keys title, artist, isrc (ISO 3901, normalised to 12 upper-case characters without hyphens); any other
 * key with a scalar value (string, number, boolean) is kept as given.
 */
public final class AssetMetadata {

    public static final Pattern ISRC = Pattern.compile("[A-Z]{2}[A-Z0-9]{3}[0-9]{7}");
    public static final int MAX_KEYS = 64;
    public static final int MAX_KEY_CHARS = 100;
    public static final int MAX_VALUE_CHARS = 2000;

    private AssetMetadata() {
    }

    /** {@code US-RC1-76-07839} → {@code USRC17607839}; not validated. */
    public static String normaliseIsrc(String s) {
        return s.replace("-", "").strip().toUpperCase(Locale.ROOT);
    }

    /** What is wrong with {@code metadata} (null values not allowed here), or null when it is valid. */
    public static String problem(Map<String, Object> metadata) {
        if (metadata.size() > MAX_KEYS) return "at most " + MAX_KEYS + " metadata keys";
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.isBlank() || key.length() > MAX_KEY_CHARS) return "metadata keys must have 1-" + MAX_KEY_CHARS + " characters";
            if (key.equals("isrc")) {
                if (!(v instanceof String s) || !ISRC.matcher(normaliseIsrc(s)).matches()) {
                    return "isrc must look like CC-XXX-YY-NNNNN (ISO 3901)";
                }
            } else if (v instanceof String s) {
                if (s.length() > MAX_VALUE_CHARS) return "metadata value of '" + key + "' is too long";
            } else if (!(v instanceof Number) && !(v instanceof Boolean)) {
                return "metadata value of '" + key + "' must be a string, number or boolean";
            }
        }
        return null;
    }

    /** A valid map (see {@link #problem}) with its isrc normalised. */
    public static Map<String, Object> normalised(Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>(metadata);
        out.computeIfPresent("isrc", (k, v) -> normaliseIsrc((String) v));
        return out;
    }
}
