package io.tonearm.api.files;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.api.accounts.Caller;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * Presigned uploads: {@code POST /v1/files} answers a signed, expiring {@code PUT} URL under {@link #UPLOAD_PATH}
 * (authenticated by its signature, not a Bearer key); the PUT streams exactly the declared bytes into an asset.
 * The URL is single-use: only the PUT that moves the file from pending to uploading may write.
 */
public final class FileRoutes implements Routes.Feature {

    public static final String UPLOAD_PATH = "/uploads";

    record FileView(String fileId, String fileName, String contentType, long sizeBytes, String purpose, String status,
                    UUID assetId, String sha256, Instant createdAt, Instant expiresAt) {
        static FileView of(FileRepository.FileRecord f) {
            return new FileView(f.id(), f.fileName(), f.contentType(), f.sizeBytes(), f.purpose(), f.status(),
                    f.assetId(), f.sha256(), f.createdAt(), f.expiresAt());
        }
    }

    private final FileRepository files;
    private final AccountService accounts;
    private final AssetService assets;
    private final PresignPolicy policy;
    private final SigningKeys keys;
    private final String publicBaseUrl;
    private final Function<Plan, PlanLimits> limits;
    private final Clock clock = Clock.systemUTC();

    public FileRoutes(io.tonearm.sinks.postgres.Database db, AccountService accounts, AssetService assets,
                      SigningKeys keys, String publicBaseUrl, long maxFileSize, Function<Plan, PlanLimits> limits) {
        this.files = new FileRepository(db);
        this.accounts = accounts;
        this.assets = assets;
        this.keys = keys;
        this.publicBaseUrl = publicBaseUrl;
        this.limits = limits;
        this.policy = PresignPolicy.builder().maxFileSize(maxFileSize).build();
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/v1/files", "Presign an upload: {file_name, content_type, file_size, purpose} -> a signed PUT URL", this::presign)
                .get("/v1/files/{id}", "A presigned upload's state and, once uploaded, its asset", this::get)
                .put(UPLOAD_PATH + "/{fileId}", "Upload the bytes of a presigned file (the URL's signature authorises it)", this::upload);
    }

    private void presign(Context ctx) throws IOException {
        Caller caller = Caller.of(ctx);
        PresignRequest request = Json.mapper().readValue(ctx.body(), PresignRequest.class);
        PresignedUpload upload;
        try {
            upload = presigner(ctx).presign(caller.accountId().toString(), request);
        } catch (PresignValidationException e) {
            throw new ApiException(e.isOnlyTooLarge() ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST,
                    e.isOnlyTooLarge() ? "payload_too_large" : "invalid_request", e.getMessage());
        }
        long planMax = limits.apply(caller.plan()).maxUploadBytes();
        if (upload.request().fileSize() > planMax) {
            throw ApiException.tooLarge(planMax);
        }
        files.insert(caller.accountId(), upload);
        ctx.status(HttpStatus.CREATED).json(upload.toResponse());
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        ctx.json(FileView.of(files.find(caller.accountId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("file"))));
    }

    private void upload(Context ctx) throws IOException {
        UploadGrant grant;
        try {
            grant = presigner(ctx).verifier().verifyDecoded(ctx.pathParam("fileId"), ctx.queryParamMap(), clock.instant());
            grant.checkUpload(ctx.header("Content-Type"), ctx.req().getContentLengthLong());
        } catch (UploadUrlException e) {
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        } catch (UploadRejectedException e) {
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        }
        UUID accountId = UUID.fromString(grant.accountId());
        FileRepository.FileRecord file = files.claim(accountId, grant.fileId()).orElseThrow(() ->
                files.find(accountId, grant.fileId()).isPresent()
                        ? ApiException.conflict("upload_url_used", "this upload URL has already been used")
                        : ApiException.notFound("file"));
        Caller owner = new Caller(accountId, null, accounts.account(accountId).plan());
        try (InputStream body = new ExactLengthInputStream(ctx.req().getInputStream(), grant.sizeBytes())) {
            AssetService.Result result = assets.upload(owner,
                    new AssetService.Upload(grant.contentType(), file.fileName(), "file", grant.sizeBytes()), body);
            ctx.json(FileView.of(files.markUploaded(file.id(), result.asset().id(), result.asset().sha256())));
        } catch (UploadRejectedException e) {
            files.release(file.id());
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        } catch (RuntimeException | IOException e) {
            files.release(file.id());
            throw e;
        }
    }

    /** Housekeeping: a PUT still "uploading" after six hours died with its replica; its URL may be used again. */
    public int releaseAbandonedUploads() {
        return files.releaseAbandoned(java.time.Duration.ofHours(6));
    }

    /** Signs with the configured public URL, or with this request's own scheme and host. */
    private Signing presigner(Context ctx) {
        String base = publicBaseUrl != null ? publicBaseUrl : ctx.scheme() + "://" + ctx.host();
        UploadUrlSigner signer = new UploadUrlSigner(URI.create(stripSlash(base) + UPLOAD_PATH), keys);
        return new Signing(new Presigner(policy, signer, clock), signer);
    }

    private record Signing(Presigner presigner, UploadUrlSigner verifier) {
        PresignedUpload presign(String accountId, PresignRequest request) {
            return presigner.presign(accountId, request);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
