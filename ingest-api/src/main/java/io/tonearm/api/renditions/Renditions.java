package io.tonearm.api.renditions;

import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.FfmpegPrograms;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.postgres.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Asset renditions as the rest of the API sees them: request some inside an upload's transaction, read their
 * status for the asset detail, and the worker pool that makes them.
 */
public final class Renditions implements AutoCloseable {

    private final RenditionRepository repository;
    private final RenditionWorkers workers;

    /**
     * @param workRoot where producers write before their files go into the blob store
     * @param programs the ffmpeg the HLS encode runs (looked up on first use)
     */
    public Renditions(Database db, BlobStore blobs, Decoder decoder, Supplier<FfmpegPrograms> programs, Path workRoot,
                      RenditionSettings settings) {
        this.repository = new RenditionRepository(db);
        this.workers = new RenditionWorkers(db, blobs, repository, List.of(
                new WaveformThumbnail(decoder, settings.budget()),
                new HlsRendition(decoder, programs, settings.budget())), workRoot, settings);
    }

    /** Records the asked-for renditions (those not asked for before) in the caller's transaction. */
    public void request(Connection c, UUID assetId, Set<RenditionKind> kinds) throws SQLException {
        if (!kinds.isEmpty()) {
            repository.request(c, assetId, kinds);
        }
    }

    /** Tells the workers to look for work: after a request committed, after an asset was probed. */
    public void wake() {
        workers.wake();
    }

    /** The requested renditions of each asset, as the asset detail shows them. */
    public Map<UUID, Map<RenditionKind, RenditionView>> views(Collection<UUID> assetIds) {
        Map<UUID, Map<RenditionKind, RenditionView>> out = new java.util.HashMap<>();
        repository.of(assetIds).forEach((id, byKind) -> {
            Map<RenditionKind, RenditionView> views = new java.util.EnumMap<>(RenditionKind.class);
            byKind.forEach((kind, r) -> views.put(kind, RenditionView.of(r)));
            out.put(id, views);
        });
        return out;
    }

    RenditionRepository repository() {
        return repository;
    }

    /** Starts the workers; work left pending by a previous run is taken at once. */
    public void start() {
        workers.start();
    }

    @Override
    public void close() throws InterruptedException {
        workers.close();
    }
}
