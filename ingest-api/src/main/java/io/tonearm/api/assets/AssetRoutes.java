package io.tonearm.api.assets;

import io.tonearm.sinks.assets.AssetIds;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;
import io.tonearm.api.renditions.RenditionFlags;
import io.tonearm.api.renditions.RenditionKind;
import io.tonearm.api.renditions.RenditionView;
import io.tonearm.api.renditions.Renditions;
import io.tonearm.sinks.fetch.FetchedBody;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.fetch.UrlImportException;
import io.tonearm.sinks.fetch.UrlPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The {@code /v1/assets} resource. */
public final class AssetRoutes implements Routes.Feature {

    static final int DEFAULT_PAGE_LIMIT = 10;
    static final int MAX_PAGE_LIMIT = 50;
    private static final Set<String> FILE_TYPES = Set.of("audio", "video", "other");

    record ListView(List<AssetView> items, String nextCursor, long count) {
    }

    private final AssetService assets;
    private final SafeUrlFetcher fetcher;
    private final Renditions renditions;
    private final List<AssetSection> sections;

    public AssetRoutes(AssetService assets, SafeUrlFetcher fetcher, Renditions renditions) {
        this(assets, fetcher, renditions, List.of());
    }

    public AssetRoutes(AssetService assets, SafeUrlFetcher fetcher, Renditions renditions, List<AssetSection> sections) {
        this.assets = assets;
        this.fetcher = fetcher;
        this.renditions = renditions;
        this.sections = List.copyOf(sections);
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/v1/assets/upload", "Upload raw bytes (audio/*, video/*, application/octet-stream); idempotent by "
                        + "sha256; query: filename, enable_thumbnail, enable_hls (true/false)", this::upload)
                .documented(AssetApiDocs.upload())
                .post("/v1/assets", "Create an asset: multipart method=direct + file, or method=url + url (form or JSON); "
                        + "optional filename, enable_thumbnail, enable_hls (booleans)", this::create)
                .documented(AssetApiDocs.create())
                .get("/v1/assets", "List assets newest first: page/page_limit or cursor; filters", this::list)
                .get("/v1/assets/{id}", "One asset, with thumbnail and hls {status, url, error} when requested", this::get)
                .documented(AssetApiDocs.one())
                .patch("/v1/assets/{id}", "Update filename and metadata (JSON merge patch on metadata)", this::patch)
                .delete("/v1/assets/{id}", "Delete an asset; 409 while jobs use it unless force=true", this::delete);
    }

    /** Streams the raw body: never read through ctx.body(), which would buffer it. */
    private void upload(Context ctx) throws IOException {
        Caller caller = Caller.of(ctx);
        String filename = ctx.queryParam("filename") != null ? ctx.queryParam("filename") : dispositionFilename(ctx);
        Set<RenditionKind> wanted = RenditionFlags.fromParams(ctx::queryParam);
        try (InputStream body = ctx.req().getInputStream()) {
            respond(ctx, assets.upload(caller, new AssetService.Upload(ctx.contentType(), filename, "upload",
                    ctx.req().getContentLengthLong(), wanted), body));
        }
    }

    private void create(Context ctx) throws IOException {
        Caller caller = Caller.of(ctx);
        if (ctx.isJson()) {
            JsonNode body = Json.mapper().readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw ApiException.badRequest("invalid_body", "the body must be a JSON object");
            }
            String method = text(body, "method");
            if (!"url".equals(method)) {
                throw ApiException.badRequest("invalid_method", "a JSON body takes method=url; method=direct needs multipart/form-data");
            }
            fromUrl(ctx, caller, text(body, "url"), text(body, "filename"), RenditionFlags.fromJson(body));
            return;
        }
        if (!ctx.isMultipartFormData()) {
            throw ApiException.unsupportedMediaType("POST /v1/assets takes multipart/form-data or application/json");
        }
        String method = ctx.formParam("method");
        if (method == null || method.isBlank()) {
            throw ApiException.badRequest("missing_method", "form field 'method' is required (direct or url)");
        }
        Set<RenditionKind> wanted = RenditionFlags.fromParams(ctx::formParam);
        switch (method) {
            case "direct" -> {
                UploadedFile file = ctx.uploadedFile("file");
                if (file == null) {
                    throw ApiException.badRequest("missing_file", "method=direct needs a 'file' part");
                }
                String filename = ctx.formParam("filename") != null ? ctx.formParam("filename") : file.filename();
                try (InputStream content = file.content()) {
                    respond(ctx, assets.upload(caller, new AssetService.Upload(
                            file.contentType() == null ? "application/octet-stream" : file.contentType(),
                            filename, "direct", file.size(), wanted), content));
                }
            }
            case "url" -> fromUrl(ctx, caller, ctx.formParam("url"), ctx.formParam("filename"), wanted);
            default -> throw ApiException.badRequest("invalid_method", "method must be 'direct' or 'url'");
        }
    }

    /** Streams a public URL's body (SSRF-vetted at every hop) straight into the blob store. */
    private void fromUrl(Context ctx, Caller caller, String url, String filename, Set<RenditionKind> wanted) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("missing_url", "method=url needs a 'url'");
        }
        try (FetchedBody body = fetcher.open(UrlPolicy.parseUri(url.strip()))) {
            String name = filename != null ? filename : lastSegment(body.finalUrl());
            String type = body.contentType() == null ? "application/octet-stream" : body.contentType();
            respond(ctx, assets.upload(caller, new AssetService.Upload(type, name, "url", body.declaredLength(),
                    wanted), body.stream()));
        } catch (UrlImportException e) {
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        }
    }

    private static String lastSegment(java.net.URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return null;
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void list(Context ctx) {
        Caller caller = Caller.of(ctx);
        AssetQuery query = query(ctx);
        AssetRepository.Page page = assets.list(caller, query);
        String next = page.more() && !page.items().isEmpty()
                ? new PageCursor(page.items().get(page.items().size() - 1).createdAt(),
                page.items().get(page.items().size() - 1).id()).encode()
                : null;
        Map<UUID, Map<RenditionKind, RenditionView>> views = renditions.views(page.items().stream().map(Asset::id).toList());
        ctx.json(new ListView(page.items().stream().map(a -> AssetView.of(a, views.getOrDefault(a.id(), Map.of())))
                .toList(), next, page.total()));
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        Asset asset = assets.get(caller, ctx.pathParam("id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Json.mapper().convertValue(view(asset), LinkedHashMap.class);
        for (AssetSection s : sections) body.put(s.field(), s.view(caller, asset));
        ctx.json(body);
    }

    private AssetView view(Asset asset) {
        return AssetView.of(asset, renditions.views(List.of(asset.id())).getOrDefault(asset.id(), Map.of()));
    }

    private void patch(Context ctx) throws IOException {
        Caller caller = Caller.of(ctx);
        String id = ctx.pathParam("id");
        assets.get(caller, id); // 404 before judging the body
        ctx.json(view(assets.patch(caller, id, MetadataPatches.parse(ctx.body()))));
    }

    private void delete(Context ctx) {
        String force = ctx.queryParam("force");
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw ApiException.badRequest("invalid_parameter", "force must be true or false");
        }
        assets.delete(Caller.of(ctx), ctx.pathParam("id"), "true".equals(force));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void respond(Context ctx, AssetService.Result result) {
        ctx.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).json(view(result.asset()));
    }

    static AssetQuery query(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && ctx.queryParam("page") != null) {
            throw ApiException.badRequest("invalid_parameter", "use either page or cursor, not both");
        }
        int limit = Math.min(MAX_PAGE_LIMIT, positiveInt(ctx, "page_limit", DEFAULT_PAGE_LIMIT));
        int page = positiveInt(ctx, "page", 1);
        List<UUID> ids = new ArrayList<>();
        for (String id : csv(ctx, "asset_ids")) {
            ids.add(AssetIds.parse(id).orElseThrow(() ->
                    ApiException.badRequest("invalid_parameter", "asset_ids holds a malformed id: " + id)));
        }
        List<String> types = csv(ctx, "asset_types").stream().map(String::toLowerCase).toList();
        for (String t : types) {
            if (!FILE_TYPES.contains(t)) {
                throw ApiException.badRequest("invalid_parameter", "asset_types values are audio, video, other");
            }
        }
        String filename = blankToNull(ctx.queryParam("filename"));
        String isrc = blankToNull(ctx.queryParam("isrc"));
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String key : List.of("title", "artist")) {
            if (blankToNull(ctx.queryParam(key)) != null) {
                metadata.put(key, ctx.queryParam(key));
            }
        }
        ctx.queryParamMap().forEach((name, values) -> {
            if (name.startsWith("metadata.") && name.length() > "metadata.".length() && !values.isEmpty()) {
                metadata.put(name.substring("metadata.".length()), values.get(0));
            }
        });
        return new AssetQuery(ids, types, filename, isrc == null ? null : MetadataPatches.normaliseIsrc(isrc), metadata,
                limit, page, cursor == null ? null : PageCursor.decode(cursor));
    }

    private static int positiveInt(Context ctx, String name, int fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("invalid_parameter", name + " must be a positive integer");
    }

    private static List<String> csv(Context ctx, String name) {
        return ctx.queryParams(name).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String dispositionFilename(Context ctx) {
        String cd = ctx.header("Content-Disposition");
        if (cd == null) {
            return null;
        }
        for (String part : cd.split(";")) {
            String p = part.strip();
            if (p.toLowerCase().startsWith("filename=")) {
                return p.substring("filename=".length()).replace("\"", "");
            }
        }
        return null;
    }
}
