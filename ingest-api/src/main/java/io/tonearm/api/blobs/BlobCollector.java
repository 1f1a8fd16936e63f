package io.tonearm.api.blobs;

import io.tonearm.sinks.blobs.BlobRepository;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.postgres.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes blobs no asset, no asset rendition file and no job output still within its retention window
 * ({@code job_outputs}, counted from the job's {@code finished_at}) references any more (their assets expired or
 * were deleted, which also removes the assets' renditions); computed results stay.
 *
 * <p>Race with an upload of the same bytes: the collector locks the blob row, re-checks, deletes the file and
 * then the row, and commits; an upload's {@link BlobRepository#register} upserts (so it waits for that lock)
 * and then checks the file is still there, answering "retry" if the collector won. Safe across replicas.
 */
public final class BlobCollector {

    private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);

    private final Database db;
    /** Neither an asset, a rendition file nor a job output still retained references the blob (bind the retention in seconds). */
    private static final String UNREFERENCED = "NOT EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = b.sha256) "
            + "AND NOT EXISTS (SELECT 1 FROM asset_rendition_files f WHERE f.blob_sha256 = b.sha256) "
            + "AND NOT EXISTS (SELECT 1 FROM job_outputs o JOIN jobs j ON j.id = o.job_id WHERE o.sha256 = b.sha256 "
            + "AND (j.finished_at IS NULL OR j.finished_at > now() - make_interval(secs => ?)))";

    private final BlobStore store;
    private final Duration outputRetention;

    public BlobCollector(Database db, BlobStore store, Duration outputRetention) {
        this.db = db;
        this.store = store;
        this.outputRetention = outputRetention;
    }

    /** @return how many blobs were deleted */
    public int collect(int max) {
        List<String> candidates = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM blobs b WHERE " + UNREFERENCED + " LIMIT ?")) {
                ps.setLong(1, outputRetention.toSeconds());
                ps.setInt(2, max);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
        int deleted = 0;
        for (String sha : candidates) {
            boolean gone = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM blobs b WHERE sha256 = ? AND "
                        + UNREFERENCED + " FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, sha);
                    ps.setLong(2, outputRetention.toSeconds());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false; // referenced again, or another replica is on it
                        }
                    }
                }
                try {
                    store.delete(sha);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM blobs WHERE sha256 = ?")) {
                    ps.setString(1, sha);
                    ps.executeUpdate();
                }
                return true;
            });
            deleted += gone ? 1 : 0;
        }
        if (deleted > 0) {
            LOG.info("deleted {} unreferenced blob(s)", deleted);
        }
        return deleted;
    }
}
