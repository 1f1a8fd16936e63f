package io.tonearm.pipeline.catalog;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.pipeline.catalog.register.Registrations;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory the catalog-scan and ingest savepoints (and the launcher's of {@code tonearm up}'s combined job graph)
 * were generated on. The scan's state knows files by absolute
 * URI, as in production, where the directory a job watches is the same before and after an upgrade (the ingest
 * commands a savepoint's offsets point past name files by URI too); so the generators and the restore tests use one
 * fixed path, and a lock file keeps two test JVMs on one machine out of each other's way.
 * Its files are 1 s sines whose bytes follow from their frequency, and carry one fixed modification time: the same
 * (size, mtime) as in the savepoint, so the restored scan sees them unchanged.
 *
 * <p>The rows a released job had written before its savepoint are made again through the registration path the jobs
 * take ({@link #registrations}, {@link #register}).
 */
public final class SavepointCatalog implements AutoCloseable {

    public static final Path DIR = Path.of("/tmp/tonearm-savepoint-catalog");
    private static final Path LOCK = Path.of("/tmp/tonearm-savepoint-catalog.lock");
    /** Whole seconds, long past: the scan takes such a version at its second listing (ScanEnumerator.settled). */
    public static final Instant MODIFIED = Instant.parse("2026-01-01T00:00:00Z");
    public static final double SECONDS = 1.0;
    public static final double AMPLITUDE = 0.5;

    private final FileChannel lock;

    private SavepointCatalog(FileChannel lock) {
        this.lock = lock;
    }

    /** Waits until no other JVM uses the directory, then empties it. */
    public static SavepointCatalog open() throws IOException {
        FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock(); // released when the channel closes
            empty();
            return new SavepointCatalog(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A sine at {@code hz} as {@code name}.wav in the directory, modified at {@link #MODIFIED}. */
    public Path write(PipelineFixture f, String name, double hz) throws IOException {
        return write(f, DIR, name, hz);
    }

    /**
     * As above, in {@code folder} of the directory (made when missing): {@code tonearm up}'s savepoint test scans one
     * folder and names the files of its ingest commands outside it.
     */
    public Path write(PipelineFixture f, String folder, String name, double hz) throws IOException {
        return write(f, Files.createDirectories(DIR.resolve(folder)), name, hz);
    }

    private static Path write(PipelineFixture f, Path dir, String name, double hz) throws IOException {
        Path file = f.sine(dir, name, hz, SECONDS, AMPLITUDE);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        return file;
    }

    /** The jobs' registration path into the fixture's database and {@code blobs}, charging under {@code credits}. */
    public static Registrations registrations(PipelineFixture f, Path blobs, CreditPolicy credits) throws IOException {
        return new Registrations(f.db, BlobStores.open(blobs.toString()), Decoders.standard(),
                AssetRegistrar.current(StandardAnalyzers.STANDARD_SET), null, 4L << 30, new CreditLedger(f.db, credits));
    }

    /**
     * Registers {@code file} for {@code account} as a released job did, with its request under {@code requestKey}
     * (the job row's idempotency key; null: one request per recording, as the catalog scan asks).
     */
    public static Registered register(Registrations registrations, UUID account, Path file, String requestKey) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Registered r = registrations.register(account, file.toUri().toString(), in, file.getFileName().toString(),
                    "audio/wav", "file", requestKey);
            assertThat(r.status()).as("registering %s", file).isEqualTo("registered");
            return r;
        }
    }

    /** An ingest command for {@code file} as a label's system publishes it (docs/ingest-topic.md), as UTF-8. */
    public static byte[] ingestCommand(UUID account, String key, Path file) {
        return """
                {"version":1,"account_id":"%s","uri":"%s","metadata":{"title":"%s"},"idempotency_key":"%s"}"""
                .formatted(account, file.toUri(), file.getFileName(), key).getBytes(StandardCharsets.UTF_8);
    }

    /** Empties the directory (and leaves it empty for the next JVM), then lets another JVM have it. */
    @Override
    public void close() throws IOException {
        try {
            empty();
        } finally {
            lock.close();
        }
    }

    private static void empty() throws IOException {
        if (Files.exists(DIR)) {
            try (Stream<Path> all = Files.walk(DIR)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(DIR)).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(DIR);
    }
}
