package io.tonearm.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A label's own system asks Tonearm to ingest one recording, published on {@link Topics#INGEST} (any key; the
 * idempotency key is a good one). The pipeline reads the bytes, registers them as an asset of the account, requests
 * the standard set and reports an {@link IngestOutcome} on {@link Topics#RESULTS}. The JSON is documented in
 * {@code docs/ingest-topic.md}; decode with {@link EventCodec#decodeIngestCommand}, check with {@link #problem()}.
 *
 * @param version        schema version ({@value #CURRENT_VERSION})
 * @param accountId      the owning account (must exist)
 * @param uri            a file URI Flink's file systems read ({@code file:/…}, {@code s3://…}); exclusive with url
 * @param url            an http(s) URL fetched under the URL-import rules (public hosts only); exclusive with uri
 * @param filename       the asset's file name; default: the last path segment
 * @param metadata       the asset's metadata ({@link AssetMetadata}: title, artist, isrc, free scalar keys)
 * @param idempotencyKey the command's identity per account: the same key again does nothing new
 */
public record IngestCommand(int version, String accountId, String uri, String url, String filename,
                            Map<String, Object> metadata, String idempotencyKey) {

    public static final int CURRENT_VERSION = 1;
    public static final int MAX_IDEMPOTENCY_KEY_CHARS = 200;

    public IngestCommand {
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Why this command cannot be carried out as written (a malformed command), or null when it is well-formed. */
    public String problem() {
        if (version < 1 || version > CURRENT_VERSION) {
            return "version " + version + " is not supported (known: 1.." + CURRENT_VERSION + ")";
        }
        if (accountId == null || accountId.isBlank()) return "account_id is missing";
        if (!isUuid(accountId)) return "account_id is not a UUID";
        if (idempotencyKey == null || idempotencyKey.isBlank()) return "idempotency_key is missing";
        if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_CHARS) {
            return "idempotency_key has more than " + MAX_IDEMPOTENCY_KEY_CHARS + " characters";
        }
        boolean hasUri = uri != null && !uri.isBlank();
        boolean hasUrl = url != null && !url.isBlank();
        if (hasUri == hasUrl) return "exactly one of uri and url is required, " + (hasUri ? "not both" : "neither was given");
        if (filename != null && filename.isBlank()) return "filename is blank";
        return AssetMetadata.problem(metadata);
    }

    /** The source as given: the uri or the url. */
    public String source() {
        return uri != null && !uri.isBlank() ? uri : url;
    }

    public boolean isUrl() {
        return url != null && !url.isBlank();
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
