package io.tonearm.api.assets;

import io.tonearm.analysis.decode.Decoder;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.sinks.assets.AssetIds;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.outbox.Outbox;
import io.tonearm.api.renditions.RenditionKind;
import io.tonearm.api.renditions.Renditions;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.Topics;
import io.tonearm.sinks.postgres.Database;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Assets: streaming uploads into the content-addressed store, registered by the sinks module's
 * {@link AssetRegistrar} (idempotent by (account, sha256), the creation announced through the outbox in the same
 * transaction); each deletion announced likewise; listing, metadata, deletion.
 */
public final class AssetService implements AutoCloseable {

    /**
     * What the client sent besides the bytes.
     *
     * @param renditions what to render from it ({@code enable_thumbnail}, {@code enable_hls}); asking again for
     *                   an existing asset adds the renditions it did not have
     */
    public record Upload(String contentTypeHeader, String filename, String method, long declaredLength,
                         Set<RenditionKind> renditions) {
        public Upload {
            renditions = Set.copyOf(renditions);
        }

        public Upload(String contentTypeHeader, String filename, String method, long declaredLength) {
            this(contentTypeHeader, filename, method, declaredLength, Set.of());
        }
    }

    /** The asset and whether this call created it (201) or found it (200). */
    public record Result(Asset asset, boolean created) {
    }

    private final Database db;
    private final BlobStore blobs;
    private final AssetRegistrar registrar;
    private final Outbox outbox;
    private final AssetRepository repository;
    private final AssetProber prober;
    private final Renditions renditions;
    private final Function<Plan, PlanLimits> limits;

    public AssetService(Database db, BlobStore blobs, Outbox outbox, Decoder decoder, Renditions renditions,
                        Function<Plan, PlanLimits> limits, long probeAsyncAboveBytes) {
        this.db = db;
        this.blobs = blobs;
        this.outbox = outbox;
        this.registrar = new AssetRegistrar(blobs);
        this.repository = new AssetRepository(db);
        this.renditions = renditions;
        this.prober = new AssetProber(decoder, blobs, repository, probeAsyncAboveBytes, renditions::wake);
        this.limits = limits;
    }

    /** Re-schedules probes interrupted by a restart; call once at start. */
    public void resumePendingProbes() {
        prober.resumePending();
    }

    public Result upload(Caller caller, Upload upload, InputStream body) {
        String mediaType = MediaTypes.accept(upload.contentTypeHeader());
        long max = limits.apply(caller.plan()).maxUploadBytes();
        if (upload.declaredLength() > max) {
            throw ApiException.tooLarge(max);
        }
        StoredBlob blob;
        try {
            blob = blobs.put(body, max);
        } catch (BlobStore.TooLargeException e) {
            throw ApiException.tooLarge(e.limit());
        } catch (BlobStore.EmptyException e) {
            throw ApiException.badRequest("empty_body", "the upload has no content");
        } catch (IOException e) {
            throw ApiException.badRequest("upload_interrupted", "reading the upload failed: " + e.getMessage());
        }
        String filename = cleanFilename(upload.filename());
        AssetRegistrar.NewAsset row = new AssetRegistrar.NewAsset(caller.accountId(), blob, upload.method(), filename,
                mediaType, MediaTypes.fileType(mediaType, filename), caller.plan().assetRetention());
        Optional<Asset> inserted;
        try {
            inserted = db.inTransaction(c -> {
                Optional<Asset> created = registrar.register(c, row).created()
                        ? repository.find(c, caller.accountId(), row.assetId(), false) : Optional.<Asset>empty();
                renditions.request(c, row.assetId(), upload.renditions());
                return created;
            });
        } catch (AssetRegistrar.BlobVanishedException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "retry", "storage was reorganised during "
                    + "the upload; send it again", Map.of("Retry-After", "1"));
        }
        if (!upload.renditions().isEmpty()) {
            renditions.wake();
        }
        if (inserted.isEmpty()) {
            return new Result(get(caller, row.assetId()), false);
        }
        boolean probed = prober.probeOrSchedule(inserted.get());
        return new Result(probed ? get(caller, row.assetId()) : inserted.get(), true);
    }

    /**
     * The asset with what probing finds, probing it now when no probe has settled it yet: a large upload whose
     * background probe is still to come, or an asset a pipeline of an earlier release registered without probing it
     * (the catalog scan and Kafka ingestion now probe in the registration's transaction). For requests that cannot
     * proceed without the duration.
     */
    public Asset probed(Caller caller, Asset asset) {
        if (asset.status() != Asset.Status.PROCESSING) {
            return asset;
        }
        prober.probe(asset);
        return get(caller, asset.id());
    }

    public Asset get(Caller caller, UUID id) {
        return repository.find(caller.accountId(), id).orElseThrow(() -> ApiException.notFound("asset"));
    }

    public Asset get(Caller caller, String id) {
        return get(caller, AssetIds.parse(id).orElseThrow(() -> ApiException.notFound("asset")));
    }

    AssetRepository.Page list(Caller caller, AssetQuery query) {
        return repository.list(caller.accountId(), query);
    }

    Asset patch(Caller caller, String id, MetadataPatch patch) {
        UUID assetId = AssetIds.parse(id).orElseThrow(() -> ApiException.notFound("asset"));
        return repository.patch(caller.accountId(), assetId, patch.filename(), patch.set(), patch.remove())
                .orElseThrow(() -> ApiException.notFound("asset"));
    }

    /**
     * Deletes an asset (not the shared blob, nor computed results). Refused with 409 while a queued or running
     * job references it, unless {@code force}, which fails those jobs.
     */
    public void delete(Caller caller, String id, boolean force) {
        UUID assetId = AssetIds.parse(id).orElseThrow(() -> ApiException.notFound("asset"));
        db.inTransaction(c -> {
            Asset asset = repository.find(c, caller.accountId(), assetId, true)
                    .orElseThrow(() -> ApiException.notFound("asset"));
            int active = repository.activeJobs(c, assetId);
            if (active > 0 && !force) {
                throw ApiException.conflict("asset_in_use", active + " queued or running job(s) use this asset; "
                        + "wait for them or pass force=true");
            }
            repository.failActiveJobs(c, assetId, "asset deleted");
            repository.delete(c, assetId);
            outbox.append(c, Topics.ASSETS, asset.sha256(), event(AssetEvent.Type.DELETED, asset, null));
            return null;
        });
    }

    /**
     * Deletes assets past their plan's retention (not while a queued or running job uses them), each with its
     * outbox event; the blob collector then frees bytes nobody references. Safe on several replicas at once.
     *
     * @return how many assets expired
     */
    public int expireDue(int max) {
        return db.inTransaction(c -> {
            List<Asset> due = repository.lockExpired(c, max);
            for (Asset a : due) {
                repository.delete(c, a.id());
                outbox.append(c, Topics.ASSETS, a.sha256(), event(AssetEvent.Type.DELETED, a, null));
            }
            return due.size();
        });
    }

    private static AssetEvent event(AssetEvent.Type type, Asset a, String location) {
        return new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(), type, a.accountId(), a.id(), a.sha256(),
                location, a.filename(), a.contentType(), a.sizeBytes(), Instant.now());
    }

    /** Keeps the last path segment only, without control characters, at most 255 chars. */
    static String cleanFilename(String name) {
        if (name == null) {
            return null;
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        if (base.isEmpty()) {
            return null;
        }
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    @Override
    public void close() throws InterruptedException {
        prober.close();
    }

    /** A validated PATCH: metadata keys to set, keys to remove, optional new file name. */
    record MetadataPatch(String filename, Map<String, Object> set, List<String> remove) {
    }
}
