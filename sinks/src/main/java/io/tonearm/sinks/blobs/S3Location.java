package io.tonearm.sinks.blobs;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an {@link S3BlobStore} keeps blobs: {@code s3://BUCKET[/PREFIX][?endpoint=URL&region=NAME&path_style=true]}.
 * The connection settings default to the environment ({@code TONEARM_S3_ENDPOINT}, {@code TONEARM_S3_REGION} or
 * {@code AWS_REGION}, {@code TONEARM_S3_PATH_STYLE}); the location's query, when given, wins, so that one string
 * describes the store completely (job arguments, tests). Credentials never belong in a location: they come from the
 * AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, a profile, web identity, the
 * instance or container role).
 *
 * <p>Everything is checked here, before any request: a location that is not exactly this shape is refused with a
 * message naming what is wrong, so a bad setting is a clear start-up error rather than a request to an odd place.
 *
 * @param bucket    the bucket (S3 naming rules)
 * @param prefix    key prefix ending in {@code /}, or empty: blob {@code SHA} is the object {@code PREFIX + SHA}
 * @param endpoint  an S3-compatible server ({@code http(s)://host[:port]}), or null for AWS
 * @param region    the signing region (default {@code us-east-1})
 * @param pathStyle {@code https://host/bucket/key} rather than {@code https://bucket.host/key}; default: true with a
 *                  custom endpoint (MinIO, Ceph, S3Proxy), false for AWS
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {

    public static final String ENDPOINT_ENV = "TONEARM_S3_ENDPOINT";
    public static final String REGION_ENV = "TONEARM_S3_REGION";
    public static final String PATH_STYLE_ENV = "TONEARM_S3_PATH_STYLE";
    static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Pattern PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");
    private static final int MAX_PREFIX = 512;
    private static final Set<String> QUERY_KEYS = Set.of("endpoint", "region", "path_style");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()) {
            throw invalid("bucket name " + quote(bucket) + " breaks S3's naming rules (3-63 of a-z 0-9 . -, starting and"
                    + " ending with a letter or digit)");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty()) {
            checkPrefix(prefix);
            prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        }
        if (endpoint != null) {
            checkEndpoint(endpoint);
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        if (!REGION.matcher(region).matches()) {
            throw invalid("region " + quote(region) + " is not a region name (like us-east-1)");
        }
    }

    public static boolean isS3(String location) {
        return location != null && location.strip().regionMatches(true, 0, "s3://", 0, 5);
    }

    /** Parses {@code location}; settings missing from its query come from {@code env} (the process environment). */
    public static S3Location parse(String location, Map<String, String> env) {
        if (!isS3(location)) {
            throw invalid(quote(location) + " is not an s3:// location");
        }
        String text = location.strip();
        if (text.length() == 5 || text.charAt(5) == '/') {
            throw invalid(quote(text) + " names no bucket; the form is s3://BUCKET[/PREFIX]");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(quote(text) + " is not a valid URI: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("credentials do not belong in the location " + redact(uri) + "; give them to the AWS SDK"
                    + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role)");
        }
        String bucket = uri.getRawAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw invalid(quote(text) + " names no bucket; the form is s3://BUCKET[/PREFIX]");
        }
        if (bucket.contains(":")) {
            throw invalid(quote(text) + " must not name a port; a server goes in the endpoint setting");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(quote(text) + " must not have a #fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String prefix = path.startsWith("/") ? path.substring(1) : path;
        if (prefix.contains("%")) {
            throw invalid("the key prefix of " + quote(text) + " must not be percent-encoded; use letters, digits, . _ - and /");
        }
        Map<String, String> query = query(uri.getRawQuery(), text);
        String endpoint = query.getOrDefault("endpoint", blankToNull(env.get(ENDPOINT_ENV)));
        String region = query.getOrDefault("region", firstSet(env.get(REGION_ENV), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")));
        String pathStyle = query.getOrDefault("path_style", blankToNull(env.get(PATH_STYLE_ENV)));
        URI endpointUri = endpoint == null ? null : endpointUri(endpoint);
        return new S3Location(bucket, prefix, endpointUri, region, pathStyle == null ? endpointUri != null : bool(pathStyle));
    }

    /** The object key of blob {@code sha256}. */
    public String keyOf(String sha256) {
        return prefix + Spool.checkSha256(sha256);
    }

    /** {@code s3://bucket/prefix/sha256}: the blob's location as stored with it and sent in events. */
    public URI uriOf(String sha256) {
        return URI.create("s3://" + bucket + "/" + keyOf(sha256));
    }

    /** {@code s3://bucket/prefix} and where it is served, for messages (never with credentials). */
    public String describe() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? " (AWS, " + region + ")" : " at " + endpoint);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void checkPrefix(String prefix) {
        if (prefix.length() > MAX_PREFIX) {
            throw invalid("the key prefix is longer than " + MAX_PREFIX + " characters");
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !PREFIX_SEGMENT.matcher(segment).matches()) {
                throw invalid("key prefix " + quote(prefix) + " must be /-separated names of letters, digits, . _ -"
                        + " (no empty, . or .. parts)");
            }
        }
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw invalid("S3 endpoint " + quote(redact(endpoint)) + " must be http(s)://HOST[:PORT]");
        }
        if (endpoint.getRawUserInfo() != null) {
            throw invalid("credentials do not belong in the S3 endpoint " + redact(endpoint));
        }
        String path = endpoint.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw invalid("S3 endpoint " + quote(redact(endpoint)) + " must be http(s)://HOST[:PORT] without a path or query");
        }
    }

    private static URI endpointUri(String endpoint) {
        try {
            return new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw invalid("S3 endpoint " + quote(endpoint) + " is not a URL: " + e.getReason());
        }
    }

    private static Map<String, String> query(String raw, String location) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!QUERY_KEYS.contains(key)) {
                throw invalid("unknown setting " + quote(key) + " in the location's query; known: endpoint, region,"
                        + " path_style (credentials come from the AWS SDK's default chain)");
            }
            if (out.put(key, value) != null) {
                throw invalid("setting " + quote(key) + " appears twice in " + quote(location));
            }
        }
        return out;
    }

    private static boolean bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("path_style must be true or false, not " + quote(value));
        };
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String redact(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("invalid blob store location: " + message);
    }
}
