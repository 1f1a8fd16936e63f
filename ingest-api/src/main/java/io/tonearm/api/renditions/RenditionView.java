package io.tonearm.api.renditions;

import java.util.UUID;

/**
 * A rendition in the asset detail: {@code {status, url, error}}; {@code url} once ready, {@code error} once failed.
 */
public record RenditionView(String status, String url, Error error) {

    public record Error(String code, String message) {
    }

    static RenditionView of(Rendition r) {
        return new RenditionView(r.status().id(),
                r.status() == Rendition.Status.READY ? url(r.assetId(), r.kind()) : null,
                r.status() == Rendition.Status.ERROR ? new Error(r.errorCode(), r.errorMessage()) : null);
    }

    /** Where the rendition is served, relative to the API's root. */
    static String url(UUID assetId, RenditionKind kind) {
        return switch (kind) {
            case THUMBNAIL -> "/v1/assets/" + assetId + "/thumbnail";
            case HLS -> "/v1/assets/" + assetId + "/hls/" + HlsRendition.PLAYLIST;
        };
    }
}
