package io.tonearm.pipeline.catalog.register;

import io.tonearm.analysis.decode.AudioFileTypes;
import io.tonearm.events.AnalysisRequested.AnalyzerRequest;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.postgres.Database;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Streams bytes into the blob store (hashing on the way, never held in memory) and registers them as an account's
 * asset with a request for {@code analyzers}, through the one {@link AssetRegistrar} the API uses too. Bytes that
 * do not start like audio are not stored. Idempotent: the same bytes again name the same asset and, by the request's
 * idempotency key, ask for nothing new, so a replay after a failover creates nothing twice.
 */
public final class Registrations {

    private final Database db;
    private final BlobStore blobs;
    private final AssetRegistrar registrar;
    private final List<AnalyzerRequest> analyzers;
    private final Duration retention;
    private final long maxBytes;

    public Registrations(Database db, BlobStore blobs, List<AnalyzerRequest> analyzers, Duration retention, long maxBytes) {
        this.db = db;
        this.blobs = blobs;
        this.registrar = new AssetRegistrar(blobs);
        this.analyzers = List.copyOf(analyzers);
        this.retention = retention;
        this.maxBytes = maxBytes;
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
        AssetRegistrar.NewAsset asset = new AssetRegistrar.NewAsset(account, blob, method, filename, contentType,
                "audio", retention, metadata);
        AssetRegistrar.Registration r;
        try {
            r = registrar.registerAndRequest(db, asset, analyzers, idempotencyKey);
        } catch (AssetRegistrar.BlobVanishedException e) {
            // The blob collector freed these bytes just now; the caller stores them again.
            throw new IOException(e.getMessage(), e);
        }
        return new Registered(source, r.asset().created() ? "registered" : "known", blob.sha256(),
                r.asset().assetId().toString(), r.requestedJob().map(UUID::toString).orElse(null), null);
    }
}
