package io.tonearm.api.files;

import io.tonearm.sinks.postgres.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code files} table: presigned uploads and what they became. */
final class FileRepository {

    record FileRecord(String id, UUID accountId, String fileName, String contentType, long sizeBytes, String purpose,
                      String status, UUID assetId, String sha256, Instant createdAt, Instant expiresAt) {
    }

    private static final String COLUMNS = "id, account_id, file_name, content_type, size_bytes, purpose, status, "
            + "asset_id, sha256, created_at, expires_at";

    private final Database db;

    FileRepository(Database db) {
        this.db = db;
    }

    void insert(UUID accountId, PresignedUpload upload) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO files (id, account_id, file_name, content_type, "
                    + "size_bytes, purpose, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, upload.grant().fileId());
                ps.setObject(2, accountId);
                ps.setString(3, upload.request().fileName());
                ps.setString(4, upload.request().contentType());
                ps.setLong(5, upload.request().fileSize());
                ps.setString(6, upload.request().purpose());
                ps.setObject(7, java.time.OffsetDateTime.ofInstant(upload.grant().expiresAt(), java.time.ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    Optional<FileRecord> find(UUID accountId, String id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE account_id = ? AND id = ?")) {
                ps.setObject(1, accountId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(file(rs)) : Optional.empty();
                }
            }
        });
    }

    /** pending → uploading, atomically: the one PUT that wins may upload; empty for everyone else. */
    Optional<FileRecord> claim(UUID accountId, String id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE files SET status = 'uploading', claimed_at = now() WHERE account_id = ? "
                    + "AND id = ? AND status = 'pending' RETURNING " + COLUMNS)) {
                ps.setObject(1, accountId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(file(rs)) : Optional.empty();
                }
            }
        });
    }

    /** A failed PUT gives the URL back (it stays valid until it expires). */
    void release(String id) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE files SET status = 'pending' WHERE id = ? AND status = 'uploading'")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Gives back URLs whose PUT died with its replica (claimed long ago, never finished). */
    int releaseAbandoned(java.time.Duration olderThan) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE files SET status = 'pending' WHERE status = 'uploading' "
                    + "AND claimed_at < now() - make_interval(secs => ?)")) {
                ps.setLong(1, olderThan.toSeconds());
                return ps.executeUpdate();
            }
        });
    }

    FileRecord markUploaded(String id, UUID assetId, String sha256) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE files SET status = 'uploaded', asset_id = ?, sha256 = ?, "
                    + "uploaded_at = now() WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setObject(1, assetId);
                ps.setString(2, sha256);
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return file(rs);
                }
            }
        });
    }

    private static FileRecord file(ResultSet rs) throws SQLException {
        return new FileRecord(rs.getString("id"), rs.getObject("account_id", UUID.class), rs.getString("file_name"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("purpose"), rs.getString("status"),
                rs.getObject("asset_id", UUID.class), rs.getString("sha256"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
    }
}
