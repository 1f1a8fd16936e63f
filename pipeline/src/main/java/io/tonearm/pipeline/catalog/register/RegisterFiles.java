package io.tonearm.pipeline.catalog.register;

import io.tonearm.analysis.decode.AudioFileTypes;
import io.tonearm.pipeline.catalog.scan.ScannedFile;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Registers each scanned file as an asset of one account with a request for the standard set. A file that vanished
 * or cannot be read is reported as failed (the next change to it is scanned again), never a job failure; a
 * database that is down fails the task, and the restart replays from the checkpoint (registration is idempotent).
 */
public final class RegisterFiles extends RichMapFunction<ScannedFile, Registered> {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterFiles.class);

    private final PostgresConnection pg;
    private final String blobStore;
    private final UUID account;
    private final ArrayList<String> analyzers;
    private final Duration retention;
    private final long maxBytes;
    private transient Database db;
    private transient Registrations registrations;

    public RegisterFiles(PostgresConnection pg, String blobStore, UUID account, List<String> analyzers, Duration retention,
                         long maxBytes) {
        this.pg = pg;
        this.blobStore = blobStore;
        this.account = account;
        this.analyzers = new ArrayList<>(analyzers);
        this.retention = retention;
        this.maxBytes = maxBytes;
    }

    @Override
    public void open(OpenContext context) throws IOException {
        db = Database.open(pg.jdbcUrl(), pg.user(), pg.password(), 2);
        registrations = new Registrations(db, BlobStores.open(blobStore), AssetRegistrar.current(analyzers),
                retention, maxBytes);
    }

    @Override
    public Registered map(ScannedFile file) {
        String type = AudioFileTypes.contentType(file.filename()).orElse("application/octet-stream");
        Registered r;
        try {
            r = attempt(file, type);
        } catch (IOException first) {
            try {
                r = attempt(file, type); // e.g. the blob collector freed the bytes during registration
            } catch (IOException e) {
                r = Registered.failed(file.uri(), "unreadable: " + e.getMessage());
            }
        }
        LOG.info("catalog scan: {} {}{}", r.status(), file.uri(), r.reason() == null ? "" : " (" + r.reason() + ")");
        return r;
    }

    private Registered attempt(ScannedFile file, String type) throws IOException {
        Path path = new Path(file.uri());
        try (FSDataInputStream in = path.getFileSystem().open(path)) {
            return registrations.register(account, file.uri(), in, file.filename(), type, "file", null);
        }
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
