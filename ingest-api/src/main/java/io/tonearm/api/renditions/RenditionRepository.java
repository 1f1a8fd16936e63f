package io.tonearm.api.renditions;

import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.postgres.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SQL of {@code asset_renditions} (status per requested rendition, also the workers' queue) and
 * {@code asset_rendition_files} (the blobs of a ready rendition). Callers check the account owns the asset.
 */
final class RenditionRepository {

    /** A rendition a worker holds, with what it needs of its asset. */
    record Claim(UUID assetId, RenditionKind kind, int attempts, String sha256, String assetStatus,
                 String assetErrorCode, String assetErrorMessage) {
    }

    /** A stored file of a ready rendition. */
    record StoredFile(String blobSha256, String contentType, long sizeBytes) {
    }

    private final Database db;

    RenditionRepository(Database db) {
        this.db = db;
    }

    /** Adds the renditions not yet requested for the asset (inside the caller's transaction). */
    void request(Connection c, UUID assetId, Set<RenditionKind> kinds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO asset_renditions (asset_id, kind) VALUES (?, ?) "
                + "ON CONFLICT (asset_id, kind) DO NOTHING")) {
            for (RenditionKind k : kinds) {
                ps.setObject(1, assetId);
                ps.setString(2, k.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Map<UUID, Map<RenditionKind, Rendition>> of(Collection<UUID> assetIds) {
        if (assetIds.isEmpty()) {
            return Map.of();
        }
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT asset_id, kind, status, error_code, error_message "
                    + "FROM asset_renditions WHERE asset_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", assetIds.toArray()));
                Map<UUID, Map<RenditionKind, Rendition>> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Rendition r = new Rendition(rs.getObject(1, UUID.class), RenditionKind.of(rs.getString(2)),
                                Rendition.Status.of(rs.getString(3)), rs.getString(4), rs.getString(5));
                        out.computeIfAbsent(r.assetId(), id -> new EnumMap<>(RenditionKind.class)).put(r.kind(), r);
                    }
                }
                return out;
            }
        });
    }

    /**
     * Takes the oldest rendition that is pending, or processing with a lapsed lease (its worker died), whose asset
     * has been probed; marks it processing under a lease of {@code lease}. Safe on several replicas at once.
     */
    Optional<Claim> claim(Duration lease) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE asset_renditions r SET status = 'processing', "
                    + "lease_until = now() + make_interval(secs => ?), attempts = r.attempts + 1, updated_at = now() "
                    + "FROM (SELECT r2.asset_id, r2.kind FROM asset_renditions r2 JOIN assets a2 ON a2.id = r2.asset_id "
                    + "      WHERE (r2.status = 'pending' OR (r2.status = 'processing' AND r2.lease_until < now())) "
                    + "      AND a2.status <> 'processing' ORDER BY r2.created_at LIMIT 1 FOR UPDATE OF r2 SKIP LOCKED) pick, "
                    + "     assets a "
                    + "WHERE r.asset_id = pick.asset_id AND r.kind = pick.kind AND a.id = r.asset_id "
                    + "RETURNING r.asset_id, r.kind, r.attempts, a.sha256, a.status, a.error_code, a.error_message")) {
                ps.setDouble(1, lease.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Claim(rs.getObject(1, UUID.class), RenditionKind.of(rs.getString(2)),
                            rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        });
    }

    /** Extends the leases of the renditions this replica is working on. */
    void renew(Collection<Key> keys, Duration lease) {
        update(keys, "lease_until = now() + make_interval(secs => " + lease.toSeconds() + ")");
    }

    /** Hands unfinished work back (on shutdown), so the next start takes it at once. */
    void release(Collection<Key> keys) {
        update(keys, "status = 'pending', lease_until = NULL, updated_at = now()");
    }

    private void update(Collection<Key> keys, String set) {
        if (keys.isEmpty()) {
            return;
        }
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE asset_renditions SET " + set
                    + " WHERE asset_id = ? AND kind = ? AND status = 'processing'")) {
                for (Key k : keys) {
                    ps.setObject(1, k.assetId());
                    ps.setString(2, k.kind().id());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    void markError(UUID assetId, RenditionKind kind, String code, String message) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE asset_renditions SET status = 'error', error_code = ?, "
                    + "error_message = ?, lease_until = NULL, updated_at = now() "
                    + "WHERE asset_id = ? AND kind = ? AND status = 'processing'")) {
                ps.setString(1, code);
                ps.setString(2, message.length() > 1000 ? message.substring(0, 1000) : message);
                ps.setObject(3, assetId);
                ps.setString(4, kind.id());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Attaches the stored files and marks the rendition ready, inside the caller's transaction (which has
     * registered the blob rows). False when the rendition is gone (its asset was deleted meanwhile).
     */
    boolean complete(Connection c, UUID assetId, RenditionKind kind, List<Named> files) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM asset_renditions WHERE asset_id = ? AND kind = ? "
                + "AND status = 'processing' FOR UPDATE")) {
            ps.setObject(1, assetId);
            ps.setString(2, kind.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM asset_rendition_files WHERE asset_id = ? AND kind = ?")) {
            ps.setObject(1, assetId);
            ps.setString(2, kind.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO asset_rendition_files (asset_id, kind, name, "
                + "blob_sha256, content_type, size_bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Named f : files) {
                ps.setObject(1, assetId);
                ps.setString(2, kind.id());
                ps.setString(3, f.name());
                ps.setString(4, f.blob().sha256());
                ps.setString(5, f.contentType());
                ps.setLong(6, f.blob().sizeBytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE asset_renditions SET status = 'ready', error_code = NULL, "
                + "error_message = NULL, lease_until = NULL, updated_at = now() WHERE asset_id = ? AND kind = ?")) {
            ps.setObject(1, assetId);
            ps.setString(2, kind.id());
            ps.executeUpdate();
        }
        return true;
    }

    /** A file of a ready rendition. */
    Optional<StoredFile> file(UUID assetId, RenditionKind kind, String name) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT f.blob_sha256, f.content_type, f.size_bytes "
                    + "FROM asset_rendition_files f JOIN asset_renditions r ON r.asset_id = f.asset_id AND r.kind = f.kind "
                    + "WHERE f.asset_id = ? AND f.kind = ? AND f.name = ? AND r.status = 'ready'")) {
                ps.setObject(1, assetId);
                ps.setString(2, kind.id());
                ps.setString(3, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new StoredFile(rs.getString(1), rs.getString(2), rs.getLong(3)))
                            : Optional.empty();
                }
            }
        });
    }

    /** A rendition's identity. */
    record Key(UUID assetId, RenditionKind kind) {
    }

    /** A stored blob under the name it is served as. */
    record Named(String name, String contentType, StoredBlob blob) {
    }
}
