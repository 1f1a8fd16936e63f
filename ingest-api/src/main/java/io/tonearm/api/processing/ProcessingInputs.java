package io.tonearm.api.processing;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.sinks.postgres.Database;

import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/**
 * What a processing request names, as the caller's asset: {@code {"asset_id"}}, {@code {"file_id"}} (a presigned
 * upload whose bytes arrived) or the raw audio as the body, which becomes an asset through the assets service
 * exactly as {@code POST /v1/assets/upload} would (streamed, content-addressed, idempotent).
 */
public final class ProcessingInputs {

    private final AssetService assets;
    private final Database db;

    public ProcessingInputs(AssetService assets, Database db) {
        this.assets = assets;
        this.db = db;
    }

    public Asset resolve(Context ctx, Caller caller) throws IOException {
        if (!ctx.isJson()) {
            try (InputStream body = ctx.req().getInputStream()) {
                return assets.upload(caller, new AssetService.Upload(ctx.contentType(), ctx.queryParam("filename"),
                        "upload", ctx.req().getContentLengthLong()), body).asset();
            }
        }
        JsonNode body = Json.mapper().readTree(ctx.body());
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object with asset_id or file_id, or raw audio");
        }
        return resolve(body, caller);
    }

    /** A JSON object naming the asset: {@code {"asset_id"}} or {@code {"file_id"}}. */
    Asset resolve(JsonNode body, Caller caller) {
        String assetId = text(body, "asset_id");
        String fileId = text(body, "file_id");
        if ((assetId == null) == (fileId == null)) {
            throw ApiException.badRequest("invalid_body", "give exactly one of asset_id and file_id");
        }
        return assetId != null ? assets.get(caller, assetId) : assets.get(caller, fileAsset(caller, fileId));
    }

    /**
     * The sha256 of the caller's asset {@code assetId} that a request names as a parameter (e.g. a mastering
     * reference): 404 for an unknown or another account's id, 422 for an asset that could not be decoded.
     */
    String referencedSha256(Caller caller, String field, String assetId) {
        Asset asset = assets.get(caller, assetId);
        if (asset.status() == Asset.Status.FAILED) {
            throw new ApiException(io.javalin.http.HttpStatus.UNPROCESSABLE_CONTENT, "invalid_" + field,
                    field + " names an asset that cannot be decoded: " + asset.errorMessage());
        }
        return asset.sha256();
    }

    /** The asset a presigned upload became; 404 for an unknown (or another account's) file, 409 before its PUT. */
    private UUID fileAsset(Caller caller, String fileId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, asset_id FROM files WHERE account_id = ? AND id = ?")) {
                ps.setObject(1, caller.accountId());
                ps.setString(2, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("file");
                    }
                    if (!"uploaded".equals(rs.getString(1))) {
                        throw ApiException.conflict("file_not_uploaded",
                                "the file's bytes have not arrived: PUT them to its upload_url first");
                    }
                    UUID asset = rs.getObject(2, UUID.class);
                    if (asset == null) {
                        throw ApiException.notFound("asset of the file (expired or deleted)");
                    }
                    return asset;
                }
            }
        });
    }

    /** A string field, null when absent; 400 {@code invalid_<field>} when not a non-empty string. */
    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("invalid_" + field, field + " must be a non-empty string");
        }
        return v.asText();
    }
}
