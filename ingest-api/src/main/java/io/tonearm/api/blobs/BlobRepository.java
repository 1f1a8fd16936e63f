package io.tonearm.api.blobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The {@code blobs} table: one row per distinct content, shared by every account's assets. */
public final class BlobRepository {

    /** Records a blob (a no-op when known) inside the caller's transaction. */
    public void register(Connection c, StoredBlob blob) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO blobs (sha256, size_bytes, location) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) {
            ps.setString(1, blob.sha256());
            ps.setLong(2, blob.sizeBytes());
            ps.setString(3, blob.location().toString());
            ps.executeUpdate();
        }
    }
}
