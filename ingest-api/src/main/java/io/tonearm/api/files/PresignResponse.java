package io.tonearm.api.files;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The body answered by {@code POST /v1/files}: {@code {file_id, upload_url, upload_method, headers,
 * expires_at}} in snake_case. {@code headers} are the ones the client must send with the PUT.
 */
public record PresignResponse(String fileId, URI uploadUrl, String uploadMethod, Map<String, String> headers,
                              Instant expiresAt) {
}
