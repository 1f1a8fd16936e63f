package io.tonearm.sinks.blobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The {@code blobs} table: one row per distinct content, shared by every account's assets. */
public final class BlobRepository {

    /**
     * Records a blob inside the caller's transaction and holds its row lock until commit, so a concurrent
     * blob collector (the API's reaper) either finishes first (and the caller sees the file gone) or waits for the caller.
     */
    public void register(Connection c, StoredBlob blob) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (sha256, size_bytes, location) VALUES (?, ?, ?) "
                + "ON CONFLICT (sha256) DO UPDATE SET size_bytes = EXCLUDED.size_bytes")) {
            ps.setString(1, blob.sha256());
            ps.setLong(2, blob.sizeBytes());
            ps.setString(3, blob.location().toString());
            ps.executeUpdate();
        }
    }
}
