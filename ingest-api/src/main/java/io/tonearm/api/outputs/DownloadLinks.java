package io.tonearm.api.outputs;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.files.SigningKeys;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Signed, expiring download links of job outputs: {@code {base}/outputs/{job_id}/{name}?account=…&expires=…&kid=…&sig=…},
 * signed like presigned uploads ({@link SigningKeys#signature}, its own version string, so an upload signature
 * never opens a download or the reverse). The link itself is the credential (it can be handed to a browser or a
 * download tool); verification order is structure, key, signature, then expiry, so a tampered link is reported as
 * tampered even when it has also expired.
 */
final class DownloadLinks {

    static final String PATH = "/outputs";
    private static final String VERSION = "tonearm-output-url-v1";
    private static final Pattern EPOCH_SECONDS = Pattern.compile("0|[1-9][0-9]{0,11}");
    private static final List<String> PARAMETERS = List.of("account", "expires", "kid", "sig");

    private final SigningKeys keys;

    DownloadLinks(SigningKeys keys) {
        this.keys = keys;
    }

    String sign(String base, UUID accountId, UUID jobId, String name, Instant expiresAt) {
        String keyId = keys.activeKeyId();
        String sig = signature(keyId, accountId.toString(), jobId, name, expiresAt.getEpochSecond()).orElseThrow();
        return base + PATH + "/" + jobId + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + "?account=" + accountId + "&expires=" + expiresAt.getEpochSecond() + "&kid=" + keyId + "&sig=" + sig;
    }

    /** The account the link was made for; 403 when it is malformed, tampered with or expired. */
    UUID verify(UUID jobId, String name, Map<String, List<String>> query, Instant now) {
        String[] p = new String[PARAMETERS.size()];
        for (int i = 0; i < p.length; i++) {
            List<String> values = query.get(PARAMETERS.get(i));
            if (values == null || values.size() != 1) {
                throw forbidden("invalid_link", "the download link lacks (or repeats) its " + PARAMETERS.get(i) + " parameter");
            }
            p[i] = values.get(0);
        }
        if (!EPOCH_SECONDS.matcher(p[1]).matches()) {
            throw forbidden("invalid_link", "the download link's expires is not a plain number");
        }
        long expires = Long.parseLong(p[1]);
        String expected = signature(p[2], p[0], jobId, name, expires)
                .orElseThrow(() -> forbidden("invalid_signature", "the download link was signed with an unknown key"));
        if (!SigningKeys.matches(expected, p[3])) {
            throw forbidden("invalid_signature", "the download link's signature does not match");
        }
        if (!now.isBefore(Instant.ofEpochSecond(expires))) {
            throw forbidden("link_expired", "the download link expired at " + Instant.ofEpochSecond(expires)
                    + "; GET /v1/jobs/{id} gives a fresh one");
        }
        try {
            return UUID.fromString(p[0]);
        } catch (IllegalArgumentException e) {
            throw forbidden("invalid_link", "the download link's account is not an id");
        }
    }

    private java.util.Optional<String> signature(String keyId, String account, UUID jobId, String name, long expires) {
        return keys.signature(keyId, VERSION, List.of(keyId, "GET", jobId.toString(), name, account, Long.toString(expires)));
    }

    private static ApiException forbidden(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, code, message);
    }

    static URI uri(String link) {
        return URI.create(link);
    }
}
