package io.tonearm.api.files;

import static io.tonearm.api.files.UploadUrlException.Reason.BAD_SIGNATURE;
import static io.tonearm.api.files.UploadUrlException.Reason.EXPIRED;
import static io.tonearm.api.files.UploadUrlException.Reason.MALFORMED;
import static io.tonearm.api.files.UploadUrlException.Reason.UNKNOWN_KEY;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signs and verifies presigned upload URLs of the form
 * {@code {base}/{file_id}?account=…&size=…&type=…&expires=…&kid=…&sig=…}.
 *
 * <p>The signature is HMAC-SHA256 (RFC 2104) over a canonical string that length-prefixes every field (so no
 * two different grants share a string, whatever characters an account id holds) and names the method (PUT)
 * and a version, so a signature cannot be reused for another purpose. It is base64url without padding and
 * compared in constant time as text, which also refuses non-canonical encodings of the same bytes. The key id
 * travels in the URL so keys can rotate (see {@link SigningKeys}). Verification order: structure, key, signature,
 * then expiry, so a tampered URL is reported as tampered even when it is also expired. Thread-safe.
 */
public final class UploadUrlSigner {
    private static final String VERSION = "tonearm-upload-url-v1";
    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern EPOCH_SECONDS = Pattern.compile("0|[1-9][0-9]{0,11}");
    private static final List<String> PARAMETERS = List.of("account", "size", "type", "expires", "kid", "sig");

    private final String basePath;
    private final String baseUrl;
    private final SigningKeys keys;

    /**
     * @param uploadBase where uploads are PUT, e.g. {@code https://api.example.com/v1/files/uploads}; the file
     *                   id is appended as the last path segment
     */
    public UploadUrlSigner(URI uploadBase, SigningKeys keys) {
        if (!uploadBase.isAbsolute() || uploadBase.getRawQuery() != null || uploadBase.getRawFragment() != null
                || !(uploadBase.getScheme().equals("http") || uploadBase.getScheme().equals("https"))) {
            throw new IllegalArgumentException("upload base must be an absolute http(s) URL without query");
        }
        String s = uploadBase.toString();
        this.baseUrl = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        String path = uploadBase.getRawPath() == null ? "" : uploadBase.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.keys = keys;
    }

    /** The path (without file id) uploads arrive at, for mounting the PUT route: e.g. {@code /v1/files/uploads}. */
    public String basePath() {
        return basePath;
    }

    public URI sign(UploadGrant grant) {
        String keyId = keys.activeKeyId();
        String signature = signature(keyId, grant).orElseThrow();
        return URI.create(baseUrl + "/" + grant.fileId()
                + "?account=" + encode(grant.accountId())
                + "&size=" + grant.sizeBytes()
                + "&type=" + encode(grant.contentType())
                + "&expires=" + grant.expiresAt().getEpochSecond()
                + "&kid=" + keyId
                + "&sig=" + signature);
    }

    /** Verifies a full upload URL as the client used it. */
    public UploadGrant verify(URI url, Instant now) {
        return verifyRaw(url.getRawPath(), url.getRawQuery(), now);
    }

    /** Verifies from the request's raw path (its last segment is the file id) and raw query string. */
    public UploadGrant verifyRaw(String rawPath, String rawQuery, Instant now) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.endsWith("/")) {
            throw new UploadUrlException(MALFORMED, "the upload URL has no file id");
        }
        String fileId = decode(rawPath.substring(rawPath.lastIndexOf('/') + 1));
        return verifyDecoded(fileId, parseQuery(rawQuery), now);
    }

    /** Verifies from already-decoded parts, e.g. Javalin's {@code ctx.pathParam} and {@code ctx.queryParamMap()}. */
    public UploadGrant verifyDecoded(String fileId, Map<String, List<String>> query, Instant now) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            List<String> values = query.get(name);
            if (values == null || values.isEmpty()) {
                throw new UploadUrlException(MALFORMED, "the upload URL lacks its " + name + " parameter");
            }
            if (values.size() > 1) {
                throw new UploadUrlException(MALFORMED, "the upload URL has more than one " + name + " parameter");
            }
            p.put(name, values.get(0));
        }
        if (!SIZE.matcher(p.get("size")).matches() || !EPOCH_SECONDS.matcher(p.get("expires")).matches()) {
            throw new UploadUrlException(MALFORMED, "the upload URL's size or expires is not a plain number");
        }
        UploadGrant grant;
        try {
            grant = new UploadGrant(fileId, p.get("account"), Long.parseLong(p.get("size")), p.get("type"),
                    Instant.ofEpochSecond(Long.parseLong(p.get("expires"))));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UploadUrlException(MALFORMED, "the upload URL is malformed: " + e.getMessage());
        }
        String keyId = p.get("kid");
        String expected = signature(keyId, grant).orElseThrow(() ->
                new UploadUrlException(UNKNOWN_KEY, "the upload URL was signed with an unknown key"));
        if (!SigningKeys.matches(expected, p.get("sig"))) {
            throw new UploadUrlException(BAD_SIGNATURE, "the upload URL's signature does not match");
        }
        if (!now.isBefore(grant.expiresAt())) {
            throw new UploadUrlException(EXPIRED, "the upload URL expired at " + grant.expiresAt());
        }
        return grant;
    }

    private java.util.Optional<String> signature(String keyId, UploadGrant g) {
        return keys.signature(keyId, VERSION, List.of(keyId, "PUT", g.fileId(), g.accountId(),
                Long.toString(g.sizeBytes()), g.contentType(), Long.toString(g.expiresAt().getEpochSecond())));
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UploadUrlException(MALFORMED, "the upload URL has a bad percent-encoding");
        }
    }
}
