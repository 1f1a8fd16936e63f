package io.tonearm.api.files;

import java.net.URI;
import java.util.Map;

/**
 * A presign decision: the validated request (to store with the file record), the grant the URL carries and the
 * signed URL. {@link #toResponse()} is the API's answer.
 */
public record PresignedUpload(ValidPresign request, UploadGrant grant, URI uploadUrl) {
    public PresignResponse toResponse() {
        return new PresignResponse(grant.fileId(), uploadUrl, "PUT", Map.of("Content-Type", grant.contentType()),
                grant.expiresAt());
    }
}
