package io.tonearm.api.renditions;

import io.tonearm.sinks.blobs.BlobRepository;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.postgres.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small pool of threads that make renditions. The {@code asset_renditions} rows are the queue: a worker claims
 * one (a lease it renews while working), runs its producer in a fresh work directory, stores the files as blobs
 * and marks the rendition ready, or error with the producer's reason. Work survives restarts: unfinished rows are
 * handed back on shutdown, and a crashed replica's rows are claimed again when their lease runs out.
 */
final class RenditionWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenditionWorkers.class);
    /** A rendition whose worker died this often (e.g. the process was killed each time) is given up. */
    static final int MAX_ATTEMPTS = 3;

    private final Database db;
    private final BlobStore blobs;
    private final RenditionRepository repository;
    private final Map<RenditionKind, RenditionProducer> producers = new EnumMap<>(RenditionKind.class);
    private final Path workRoot;
    private final RenditionSettings settings;
    private final BlobRepository blobRows = new BlobRepository();
    private final Set<RenditionRepository.Key> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore wakeups = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rendition-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    RenditionWorkers(Database db, BlobStore blobs, RenditionRepository repository, List<RenditionProducer> producers,
                     Path workRoot, RenditionSettings settings) {
        this.db = db;
        this.blobs = blobs;
        this.repository = repository;
        producers.forEach(p -> this.producers.put(p.kind(), p));
        this.workRoot = workRoot;
        this.settings = settings;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::loop, "rendition-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long renewMillis = Math.max(500, settings.lease().toMillis() / 3);
        leases.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }

    /** Tells idle workers there is new work (a rendition requested, an asset probed). */
    void wake() {
        wakeups.release(settings.workers());
    }

    private void loop() {
        while (running) {
            try {
                Optional<RenditionRepository.Claim> claim = repository.claim(settings.lease());
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    wakeups.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("rendition worker: {}; retrying", e.toString());
                try {
                    Thread.sleep(settings.poll().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void run(RenditionRepository.Claim claim) {
        if ("failed".equals(claim.assetStatus())) {
            repository.markError(claim.assetId(), claim.kind(),
                    claim.assetErrorCode() == null ? "undecodable_audio" : claim.assetErrorCode(),
                    "the asset cannot be decoded: " + claim.assetErrorMessage());
            return;
        }
        if (claim.attempts() > MAX_ATTEMPTS) {
            repository.markError(claim.assetId(), claim.kind(), "interrupted",
                    "gave up after " + MAX_ATTEMPTS + " interrupted attempts");
            return;
        }
        RenditionRepository.Key key = new RenditionRepository.Key(claim.assetId(), claim.kind());
        inFlight.add(key);
        Path workDir = null;
        try {
            workDir = Files.createDirectories(workRoot).resolve(claim.kind().id() + "-" + UUID.randomUUID());
            Files.createDirectory(workDir);
            List<RenditionFile> files = producers.get(claim.kind()).produce(blobs.localFile(claim.sha256()), workDir);
            if (running) {
                store(claim, files);
            }
        } catch (RenditionException e) {
            fail(key, e.code(), e.getMessage());
        } catch (IOException e) {
            fail(key, "asset_unavailable", "the asset's bytes could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("rendition {} of asset {} failed unexpectedly", claim.kind().id(), claim.assetId(), e);
            fail(key, "internal_error", "rendition failed: " + e.getClass().getSimpleName());
        } finally {
            if (!running) {
                repository.release(List.of(key)); // cut short by shutdown: the next start does it again
            }
            inFlight.remove(key);
            deleteTree(workDir);
        }
    }

    /** Records the failure, unless it is only our shutdown interrupting the work. */
    private void fail(RenditionRepository.Key key, String code, String message) {
        if (running) {
            repository.markError(key.assetId(), key.kind(), code, message);
        }
    }

    /**
     * Stores each file as a blob, then registers the blob rows and attaches them in one transaction. The blob
     * rows' locks serialise with the {@link io.tonearm.api.blobs.BlobCollector}: if it removed a file between our
     * write and our lock, we write it again.
     */
    private void store(RenditionRepository.Claim claim, List<RenditionFile> files) throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<RenditionRepository.Named> stored = new ArrayList<>();
            for (RenditionFile f : files) {
                try (InputStream in = Files.newInputStream(f.path())) {
                    stored.add(new RenditionRepository.Named(f.name(), f.contentType(), blobs.put(in, Long.MAX_VALUE)));
                }
            }
            boolean intact = db.inTransaction(c -> {
                for (RenditionRepository.Named n : stored) {
                    blobRows.register(c, n.blob());
                }
                for (RenditionRepository.Named n : stored) {
                    if (!blobs.exists(n.blob().sha256())) {
                        return false; // collected meanwhile: store again (the rows left unreferenced are collected)
                    }
                }
                repository.complete(c, claim.assetId(), claim.kind(), stored);
                return true;
            });
            if (intact) {
                return;
            }
            if (attempt == 3) {
                throw new IOException("the blob store kept removing the rendition's files");
            }
        }
    }

    private void renewLeases() {
        try {
            repository.renew(List.copyOf(inFlight), settings.lease());
        } catch (RuntimeException e) {
            LOG.warn("renewing rendition leases failed: {}", e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover work dir is only disk space
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        leases.shutdownNow();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        try {
            repository.release(List.copyOf(inFlight));
        } catch (RuntimeException e) {
            LOG.warn("could not hand back unfinished renditions (they are taken again when their lease ends): {}",
                    e.toString());
        }
    }
}
