package io.tonearm.api.assets;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tonearm.api.renditions.RenditionKind;
import io.tonearm.api.renditions.RenditionView;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An asset as clients see it. Carries both spellings DESIGN.md's endpoints promise ({@code asset_id}/{@code id},
 * {@code size_bytes}/{@code size}), so the upload answer and the asset resource are the same object.
 * {@code thumbnail} and {@code hls} appear only when that rendition was asked for.
 */
record AssetView(UUID id, UUID assetId, String method, String status, String filename, String fileType,
                 String contentType, String sha256, long size, long sizeBytes, Double duration, String container,
                 String codec, Integer sampleRate, Integer channels, Map<String, Object> metadata, Error error,
                 Instant createdAt, Instant updatedAt, Instant expiresAt,
                 @JsonInclude(JsonInclude.Include.NON_NULL) RenditionView thumbnail,
                 @JsonInclude(JsonInclude.Include.NON_NULL) RenditionView hls) {

    record Error(String code, String message) {
    }

    static AssetView of(Asset a, Map<RenditionKind, RenditionView> renditions) {
        return new AssetView(a.id(), a.id(), a.method(), a.status().id(), a.filename(), a.fileType(), a.contentType(),
                a.sha256(), a.sizeBytes(), a.sizeBytes(), a.durationSeconds(), a.container(), a.codec(), a.sampleRate(),
                a.channels(), a.metadata(), a.errorCode() == null ? null : new Error(a.errorCode(), a.errorMessage()),
                a.createdAt(), a.updatedAt(), a.expiresAt(), renditions.get(RenditionKind.THUMBNAIL),
                renditions.get(RenditionKind.HLS));
    }
}
