package io.tonearm.api.renditions;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Routes;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Serves ready renditions: {@code GET /v1/assets/{id}/thumbnail} and {@code GET /v1/assets/{id}/hls/{file}} (the
 * playlist {@code index.m3u8} and the segments it names relative to itself). Same access as the asset: another
 * account's asset, a rendition not requested or not ready yet all answer 404.
 */
public final class RenditionRoutes implements Routes.Feature {

    private final BiFunction<Caller, String, UUID> ownedAsset;
    private final RenditionRepository repository;
    private final BlobStore blobs;

    /** @param ownedAsset the caller's asset with this id, else a 404 {@link ApiException} */
    public RenditionRoutes(BiFunction<Caller, String, UUID> ownedAsset, Renditions renditions, BlobStore blobs) {
        this.ownedAsset = ownedAsset;
        this.repository = renditions.repository();
        this.blobs = blobs;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/v1/assets/{id}/thumbnail", "The asset's waveform thumbnail (image/png, 800x160) once ready; "
                        + "404 when not requested (enable_thumbnail) or not ready", this::thumbnail)
                .documented(RenditionApiDocs.file("the waveform PNG", Map.of("image/png", "binary")))
                .get("/v1/assets/{id}/hls/{file}", "The asset's HLS rendition once ready: index.m3u8 "
                        + "(application/vnd.apple.mpegurl) and the MPEG-TS AAC segments it lists (video/mp2t); "
                        + "404 when not requested (enable_hls) or not ready", this::hls)
                .documented(RenditionApiDocs.file("the playlist (file index.m3u8) or a segment it lists",
                        Map.of(HlsRendition.PLAYLIST_TYPE, "text", HlsRendition.SEGMENT_TYPE, "binary")));
    }

    private void thumbnail(Context ctx) throws IOException {
        serve(ctx, RenditionKind.THUMBNAIL, WaveformThumbnail.NAME);
    }

    private void hls(Context ctx) throws IOException {
        serve(ctx, RenditionKind.HLS, ctx.pathParam("file"));
    }

    private void serve(Context ctx, RenditionKind kind, String name) throws IOException {
        UUID assetId = ownedAsset.apply(Caller.of(ctx), ctx.pathParam("id"));
        RenditionRepository.StoredFile file = repository.file(assetId, kind, name).orElseThrow(() ->
                new ApiException(HttpStatus.NOT_FOUND, "not_found", kind.id() + " " + name
                        + " not found (ask for it with " + kind.flag() + "=true; see the asset's " + kind.id()
                        + ".status)"));
        String etag = "\"" + file.blobSha256() + "\"";
        ctx.header("ETag", etag).header("Cache-Control", "private, max-age=86400");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(file.contentType()).header("Content-Length", Long.toString(file.sizeBytes()));
        ctx.result(blobs.open(file.blobSha256()));
    }
}
