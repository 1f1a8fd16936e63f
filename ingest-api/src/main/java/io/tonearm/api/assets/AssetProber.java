package io.tonearm.api.assets;

import io.tonearm.analysis.decode.Decoder;
import io.tonearm.sinks.assets.ProbeOutcome;
import io.tonearm.sinks.blobs.BlobStore;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Moves a new asset from {@code processing} to {@code ready} (duration, codec, sample rate, channels) or
 * {@code failed} (with the decoder's reason) by probing its blob. Small files are probed before the upload
 * answers; larger ones on a background thread, so a multi-GB upload does not hold the request.
 * A full sanity decode is the pipeline's job. What a probe writes is {@link ProbeOutcome}'s, which the pipeline's
 * registrations use too.
 */
public final class AssetProber implements AutoCloseable {

    private final Decoder decoder;
    private final BlobStore blobs;
    private final AssetRepository repository;
    private final long asyncAboveBytes;
    private final ExecutorService background;
    private final Runnable afterProbe;

    /** @param afterProbe told after each probe (renditions wait for it) */
    AssetProber(Decoder decoder, BlobStore blobs, AssetRepository repository, long asyncAboveBytes, Runnable afterProbe) {
        this.decoder = decoder;
        this.afterProbe = afterProbe;
        this.blobs = blobs;
        this.repository = repository;
        this.asyncAboveBytes = asyncAboveBytes;
        this.background = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "asset-prober");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes now when small (then the returned status is final), else schedules it. */
    boolean probeOrSchedule(Asset asset) {
        if (asset.sizeBytes() > asyncAboveBytes) {
            background.submit(() -> probe(asset));
            return false;
        }
        probe(asset);
        return true;
    }

    /** Re-schedules probes that a restart interrupted. */
    void resumePending() {
        for (Asset a : repository.processing(1000)) {
            background.submit(() -> probe(a));
        }
    }

    void probe(Asset asset) {
        repository.settle(asset.id(), ProbeOutcome.probe(decoder, blobs, asset.sha256()));
        afterProbe.run();
    }

    @Override
    public void close() throws InterruptedException {
        background.shutdownNow();
        background.awaitTermination(5, TimeUnit.SECONDS);
    }
}
