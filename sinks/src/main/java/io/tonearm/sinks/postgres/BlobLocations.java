package io.tonearm.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where a blob's bytes are, from the {@code blobs} table. The pipeline asks when an analysis request arrives
 * before the asset event that carries the location (they travel on different topics): the API commits the blob
 * row before it publishes either event, so the row is there.
 */
public final class BlobLocations {

    private BlobLocations() {
    }

    public static Optional<String> find(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT location FROM blobs WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
