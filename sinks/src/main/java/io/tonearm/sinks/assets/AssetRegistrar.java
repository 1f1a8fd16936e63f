package io.tonearm.sinks.assets;

import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AnalysisRequested.AnalyzerRequest;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.events.Topics;
import io.tonearm.sinks.blobs.BlobRepository;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.outbox.Outbox;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobInsert;
import io.tonearm.sinks.postgres.JobStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers bytes already in the {@link BlobStore} as an account's asset: the blob row, the asset row (its id
 * stable for (account, sha256): the same bytes again name the same asset and create nothing) and its
 * {@link AssetEvent} in the outbox, all in the caller's transaction, so the event exists exactly when the row does.
 * Optionally in the same transaction: a queued job and its {@link AnalysisRequested} outbox event, at most once per
 * (account, idempotency key).
 * <p>
 * The one implementation behind the API's uploads and the pipeline's catalog scan and Kafka ingestion; HTTP
 * concerns (validation, limits, credits, views) stay with the callers.
 * <p>
 * <b>Probing.</b> A new asset is {@code processing} until a probe of its bytes settles it {@code ready} or
 * {@code failed} ({@link ProbeOutcome}). A caller that has probed before registering ({@link NewAsset#probed}: the
 * pipeline, which has the bytes locally right after storing them) has the outcome written in the registration's
 * transaction, so the row is never seen {@code processing}; the API registers first and probes after (a multi-GB
 * upload is probed in the background), through the same {@link ProbeOutcome#settle}. The pipeline's outcome is that
 * UPDATE too, right after the INSERT in the same transaction, rather than values of the INSERT: no one sees the row
 * before the commit either way, one statement then writes every probe, and it also settles a row of the same
 * account and bytes that an earlier registration left {@code processing}; it costs one more statement by primary key. An asset that is {@code failed}
 * gets no analysis request from {@link #registerAndRequest}: the analysis could only fail, and the API refuses a
 * request for such an asset (422) before charging it.
 */
public final class AssetRegistrar {

    /** The job kind of analyses requested at registration (the pipeline writes the same kind for foreign requests). */
    public static final String ANALYSIS_KIND = "analysis";

    /**
     * What a new asset row needs besides the bytes.
     *
     * @param method    how the bytes arrived: {@code upload}, {@code direct}, {@code url} or {@code file}
     * @param retention how long the asset lives (its account's plan)
     * @param metadata  the asset's metadata when this creates it (already valid: {@link io.tonearm.events.AssetMetadata})
     * @param probe     what probing the bytes found, written with the registration; null: the caller probes later
     */
    public record NewAsset(UUID accountId, StoredBlob blob, String method, String filename, String contentType,
                           String fileType, Duration retention, Map<String, Object> metadata, ProbeOutcome probe) {
        public NewAsset {
            metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(blob, "blob");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(fileType, "fileType");
            Objects.requireNonNull(retention, "retention");
        }

        /** Not probed yet. */
        public NewAsset(UUID accountId, StoredBlob blob, String method, String filename, String contentType,
                        String fileType, Duration retention, Map<String, Object> metadata) {
            this(accountId, blob, method, filename, contentType, fileType, retention, metadata, null);
        }

        /** Without metadata, not probed yet. */
        public NewAsset(UUID accountId, StoredBlob blob, String method, String filename, String contentType,
                        String fileType, Duration retention) {
            this(accountId, blob, method, filename, contentType, fileType, retention, Map.of());
        }

        /** This asset with what probing its bytes found. */
        public NewAsset probed(ProbeOutcome outcome) {
            return new NewAsset(accountId, blob, method, filename, contentType, fileType, retention, metadata,
                    Objects.requireNonNull(outcome, "outcome"));
        }

        public UUID assetId() {
            return AssetIds.of(accountId, blob.sha256());
        }
    }

    /** The asset's id, and whether this call created it (false: the account already had these bytes). */
    public record Registered(UUID assetId, String sha256, boolean created) {
    }

    /**
     * A registration with its analysis request.
     *
     * @param requestedJob the job id; empty when the idempotency key had been used or the asset is failed
     * @param failed       why the asset cannot be analyzed (its probe's failure), when it is {@code failed}: then no
     *                     request was made
     */
    public record Registration(Registered asset, Optional<UUID> requestedJob, Optional<ProbeOutcome> failed) {
    }

    /**
     * The blob collector removed the bytes between the caller's write and the row lock; storing them again and
     * retrying succeeds.
     */
    public static final class BlobVanishedException extends RuntimeException {
        public BlobVanishedException(String sha256) {
            super("blob " + sha256 + " was removed by the blob collector during registration");
        }
    }

    private final BlobStore blobs;
    private final BlobRepository blobRows = new BlobRepository();
    private final Outbox outbox = new Outbox();

    public AssetRegistrar(BlobStore blobs) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
    }

    /**
     * Blob row, asset row unless (account, sha256) exists, and its creation event; in the caller's transaction. With a
     * {@link NewAsset#probe}, the row is settled by it: the new one, or an existing one still {@code processing}.
     */
    public Registered register(Connection c, NewAsset a) throws SQLException {
        StoredBlob blob = a.blob();
        blobRows.register(c, blob);
        if (!blobs.exists(blob.sha256())) {
            throw new BlobVanishedException(blob.sha256());
        }
        UUID id = a.assetId();
        boolean created;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assets (id, account_id, sha256, method, filename, "
                + "content_type, file_type, size_bytes, expires_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "now() + make_interval(secs => ?), ?::jsonb) ON CONFLICT (account_id, sha256) DO NOTHING RETURNING id")) {
            ps.setObject(1, id);
            ps.setObject(2, a.accountId());
            ps.setString(3, blob.sha256());
            ps.setString(4, a.method());
            ps.setString(5, a.filename());
            ps.setString(6, a.contentType());
            ps.setString(7, a.fileType());
            ps.setLong(8, blob.sizeBytes());
            ps.setLong(9, a.retention().toSeconds());
            ps.setString(10, EventCodec.encodeToString(a.metadata()));
            try (ResultSet rs = ps.executeQuery()) {
                created = rs.next();
            }
        }
        if (created) {
            outbox.append(c, Topics.ASSETS, blob.sha256(), new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(),
                    AssetEvent.Type.CREATED, a.accountId(), id, blob.sha256(), blob.location().toString(), a.filename(),
                    a.contentType(), blob.sizeBytes(), Instant.now()));
        }
        if (a.probe() != null) {
            a.probe().settle(c, id);
        }
        return new Registered(id, blob.sha256(), created);
    }

    /**
     * A queued job of kind {@link #ANALYSIS_KIND} and its request event, in the caller's transaction; nothing when
     * the account already has a job with {@code idempotencyKey} (a replay, a rescan).
     *
     * @param analyzers what to run; a null version means the registry's current one
     * @return the new job's id, empty when the key had been used
     */
    public Optional<UUID> requestAnalysis(Connection c, UUID accountId, UUID assetId, String sha256,
                                          List<AnalyzerRequest> analyzers, String idempotencyKey) throws SQLException {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        UUID jobId = UUID.randomUUID();
        JobInsert.NewJob job = new JobInsert.NewJob(jobId, accountId, assetId, ANALYSIS_KIND, JobStatus.QUEUED, sha256,
                EventCodec.encodeToString(analyzers), null, idempotencyKey, hash(ANALYSIS_KIND + "\n" + assetId));
        if (!JobInsert.insert(c, job)) {
            return Optional.empty();
        }
        AnalysisRequests.append(outbox, c, jobId, accountId, assetId, sha256, analyzers);
        return Optional.of(jobId);
    }

    /**
     * Called in the registration's transaction when it created a job, so that what the job costs is paid in that
     * transaction: the charge commits with the job, and a refusal (thrown) rolls back the asset and the job with it.
     */
    @FunctionalInterface
    public interface OnRequested {
        void requested(Connection c, UUID jobId) throws SQLException;
    }

    /**
     * {@link #register} and {@link #requestAnalysis} in ONE transaction. The key defaults to
     * {@link #standardRequestKey}: one request per (account, recording), however often the bytes are registered. No
     * request (and so no charge) for an asset that is {@code failed}: {@link Registration#failed} says why.
     */
    public Registration registerAndRequest(Database db, NewAsset a, List<AnalyzerRequest> analyzers, String idempotencyKey) {
        return registerAndRequest(db, a, analyzers, idempotencyKey, (c, job) -> { });
    }

    /** As above, with {@code onRequested} run in the same transaction when a job was created (not on a replay). */
    public Registration registerAndRequest(Database db, NewAsset a, List<AnalyzerRequest> analyzers, String idempotencyKey,
                                           OnRequested onRequested) {
        String key = idempotencyKey == null ? standardRequestKey(a.blob().sha256()) : idempotencyKey;
        return db.inTransaction(c -> {
            Registered r = register(c, a);
            Optional<ProbeOutcome> failed = ProbeOutcome.failureOf(c, r.assetId());
            if (failed.isPresent()) {
                return new Registration(r, Optional.empty(), failed);
            }
            Optional<UUID> job = requestAnalysis(c, a.accountId(), r.assetId(), r.sha256(), analyzers, key);
            if (job.isPresent()) {
                onRequested.requested(c, job.get());
            }
            return new Registration(r, job, Optional.empty());
        });
    }

    /** The idempotency key of the analysis request made when a recording is registered outside the API. */
    public static String standardRequestKey(String sha256) {
        return "tonearm-registration:" + sha256;
    }

    /** Requests for {@code names} at their current versions with default parameters. */
    public static List<AnalyzerRequest> current(List<String> names) {
        return names.stream().map(n -> new AnalyzerRequest(n, null, null)).toList();
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
