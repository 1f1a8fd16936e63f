package io.tonearm.pipeline.catalog.register;

import io.tonearm.analysis.decode.AudioFileTypes;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.events.AnalysisRequested.AnalyzerRequest;
import io.tonearm.sinks.accounts.AccountPlans;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.assets.ProbeOutcome;
import io.tonearm.sinks.blobs.BlobRepository;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.OutOfCreditsException;
import io.tonearm.sinks.credits.Tariff;
import io.tonearm.sinks.postgres.Database;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Streams bytes into the blob store (hashing on the way, never held in memory) and registers them as an account's
 * asset with a request for {@code analyzers}, through the one {@link AssetRegistrar} the API uses too. Bytes that
 * do not start like audio are not stored. Idempotent: the same bytes again name the same asset and, by the request's
 * idempotency key, ask for nothing new, so a replay after a failover creates nothing twice.
 *
 * <p><b>Probe.</b> The stored bytes are probed as the API probes an upload ({@link ProbeOutcome#probe}, ffprobe on
 * the blob's local copy: the file itself in a directory store, the spool an S3 store's {@code put} has just moved into
 * its cache, so nothing is downloaded again) before the transaction, and the outcome is written in it: the asset is
 * {@code ready} with its duration, codec, sample rate and channels, or {@code failed} with the decoder's reason, from
 * the moment it exists. A failed probe still registers the asset (as a failed upload does) but requests nothing and
 * charges nothing: the outcome is {@code undecodable} with the asset and the reason
 * ({@code undecodable_audio.<code>: message}). The probe never throws, so a hostile file cannot fail the task.
 *
 * <p><b>Plan and credits.</b> The asset lives as long as its account's plan says ({@link Plan#assetRetention()}),
 * unless the job overrides it. The request is paid like the API's requests for the same analyzers
 * ({@link Tariff#registrationEndpoint}), through the same {@link CreditLedger}, in the transaction that creates the
 * job and under the job's id as charge key: a replay creates no job and so charges nothing, and a job that fails is
 * refunded by the API's refund worker like any other. When the balance does not cover it, nothing is registered
 * (the blob row alone is written, so the blob collector frees bytes nothing references) and the outcome is
 * {@code refused} with the code {@link OutOfCreditsException#CODE}.
 */
public final class Registrations {

    private final Database db;
    private final BlobStore blobs;
    private final Decoder decoder;
    private final AssetRegistrar registrar;
    private final BlobRepository blobRows = new BlobRepository();
    private final List<AnalyzerRequest> analyzers;
    private final Duration retentionOverride;
    private final long maxBytes;
    private final CreditLedger credits;
    private final String endpoint;

    /**
     * @param decoder           probes what is registered ({@code Decoders.standard()}, as the API's)
     * @param retentionOverride how long the assets live regardless of the plan; null: the account's plan decides
     */
    public Registrations(Database db, BlobStore blobs, Decoder decoder, List<AnalyzerRequest> analyzers,
                         Duration retentionOverride, long maxBytes, CreditLedger credits) {
        this.db = db;
        this.blobs = blobs;
        this.decoder = decoder;
        this.registrar = new AssetRegistrar(blobs);
        this.analyzers = List.copyOf(analyzers);
        this.retentionOverride = retentionOverride;
        this.maxBytes = maxBytes;
        this.credits = credits;
        this.endpoint = Tariff.registrationEndpoint(analyzers.stream().map(AnalyzerRequest::name).toList());
    }

    /** What one request for the analyzers costs. */
    public long cost() {
        return credits.tariff().cost(endpoint, null);
    }

    /**
     * Whether the account's balance (after this month's allowance) covers one request now: lets a caller that will
     * surely create a job refuse it before reading any bytes. The charge itself decides; this only saves work.
     */
    public boolean canPay(UUID account) {
        return credits.balance(account) >= cost();
    }

    /**
     * @param source         where the bytes come from (reported back)
     * @param method         the asset's {@code method}: {@code file} or {@code url}
     * @param idempotencyKey of the analysis request; null for one request per (account, recording)
     * @throws IOException reading {@code in} failed (nothing registered)
     */
    public Registered register(UUID account, String source, InputStream in, String filename, String contentType,
                               String method, String idempotencyKey) throws IOException {
        return register(account, source, in, filename, contentType, method, idempotencyKey, Map.of());
    }

    /** As above; {@code metadata} (valid per {@code AssetMetadata}) is the asset's when this creates it. */
    public Registered register(UUID account, String source, InputStream in, String filename, String contentType,
                               String method, String idempotencyKey, Map<String, Object> metadata) throws IOException {
        Optional<Plan> plan = db.withConnection(c -> AccountPlans.find(c, account));
        if (plan.isEmpty()) {
            return Registered.failed(source, "unknown_account: no account " + account);
        }
        byte[] head = new byte[AudioFileTypes.HEAD_BYTES];
        int n = in.readNBytes(head, 0, head.length);
        if (!AudioFileTypes.looksLikeAudio(head, n)) {
            return Registered.skipped(source, n == 0 ? "empty: no bytes" : "not_audio: the first bytes are not an audio container or stream");
        }
        StoredBlob blob;
        try {
            blob = blobs.put(new SequenceInputStream(new ByteArrayInputStream(head, 0, n), in), maxBytes);
        } catch (BlobStore.TooLargeException e) {
            return Registered.skipped(source, "too_large: more than " + maxBytes + " bytes");
        }
        Duration retention = retentionOverride != null ? retentionOverride : plan.get().assetRetention();
        AssetRegistrar.NewAsset asset = new AssetRegistrar.NewAsset(account, blob, method, filename, contentType,
                "audio", retention, metadata).probed(ProbeOutcome.probe(decoder, blobs, blob.sha256()));
        AssetRegistrar.Registration r;
        try {
            r = registrar.registerAndRequest(db, asset, analyzers, idempotencyKey,
                    (c, job) -> credits.charge(c, account, endpoint, null, job.toString()));
        } catch (AssetRegistrar.BlobVanishedException e) {
            // The blob collector freed these bytes just now; the caller stores them again.
            throw new IOException(e.getMessage(), e);
        } catch (OutOfCreditsException e) {
            db.inTransaction(c -> { // nothing else references the bytes now: let the blob collector free them
                blobRows.register(c, blob);
                return null;
            });
            return Registered.refused(source, blob.sha256(), OutOfCreditsException.CODE + ": " + e.getMessage());
        }
        if (r.failed().isPresent()) {
            ProbeOutcome failed = r.failed().get();
            return Registered.undecodable(source, blob.sha256(), r.asset().assetId().toString(),
                    failed.errorCode() + ": " + failed.errorMessage());
        }
        return new Registered(source, r.asset().created() ? "registered" : "known", blob.sha256(),
                r.asset().assetId().toString(), r.requestedJob().map(UUID::toString).orElse(null), null);
    }
}
