package io.tonearm.api.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tonearm.api.http.Json;
import io.tonearm.sinks.assets.ProbeOutcome;
import io.tonearm.sinks.postgres.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of the {@code assets} table. Every read is scoped by account: another account's id is simply absent. */
final class AssetRepository {

    private static final String COLUMNS = "id, account_id, sha256, method, filename, content_type, file_type, "
            + "size_bytes, status, error_code, error_message, duration_seconds, container, codec, sample_rate, "
            + "channels, metadata::text AS metadata, created_at, updated_at, expires_at";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Database db;

    AssetRepository(Database db) {
        this.db = db;
    }

    Optional<Asset> find(UUID accountId, UUID id) {
        return db.withConnection(c -> find(c, accountId, id, false));
    }

    Optional<Asset> find(Connection c, UUID accountId, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM assets WHERE account_id = ? AND id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, accountId);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(asset(rs)) : Optional.empty();
            }
        }
    }

    /** One page (newest first) plus one extra row telling whether more follow, and the total count. */
    record Page(List<Asset> items, boolean more, long total) {
    }

    Page list(UUID accountId, AssetQuery q) {
        return db.withConnection(c -> {
            List<Object> args = new ArrayList<>();
            String where = where(accountId, q, args);
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM assets WHERE " + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM assets WHERE " + where);
            List<Object> pageArgs = new ArrayList<>(args);
            if (q.cursor() != null) {
                sql.append(" AND (created_at, id) < (?, ?)");
                pageArgs.add(OffsetDateTime.ofInstant(q.cursor().createdAt(), ZoneOffset.UTC));
                pageArgs.add(q.cursor().id());
            }
            sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
            pageArgs.add(q.limit() + 1);
            if (q.cursor() == null) {
                sql.append(" OFFSET ?");
                pageArgs.add((long) (q.page() - 1) * q.limit());
            }
            List<Asset> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, pageArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(asset(rs));
                    }
                }
            }
            boolean more = items.size() > q.limit();
            return new Page(more ? items.subList(0, q.limit()) : items, more, total);
        });
    }

    private static String where(UUID accountId, AssetQuery q, List<Object> args) {
        StringBuilder w = new StringBuilder("account_id = ?");
        args.add(accountId);
        if (!q.assetIds().isEmpty()) {
            w.append(" AND id = ANY(?)");
            args.add(q.assetIds().toArray(new UUID[0]));
        }
        if (!q.fileTypes().isEmpty()) {
            w.append(" AND file_type = ANY(?)");
            args.add(q.fileTypes().toArray(new String[0]));
        }
        if (q.filename() != null) {
            w.append(" AND filename ILIKE ? ESCAPE '\\'");
            args.add("%" + q.filename().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (q.isrc() != null) {
            w.append(" AND metadata ->> 'isrc' = ?");
            args.add(q.isrc());
        }
        if (!q.metadata().isEmpty()) {
            w.append(" AND metadata @> ?::jsonb");
            args.add(json(q.metadata()));
        }
        return w.toString();
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof UUID[] ids) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("uuid", ids));
            } else if (a instanceof String[] strings) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", strings));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** Applies a metadata merge (values set, null values removed) and an optional new file name. */
    Optional<Asset> patch(UUID accountId, UUID id, String filename, Map<String, Object> set, List<String> remove) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE assets SET metadata = (metadata || ?::jsonb) - ?::text[], "
                    + "filename = coalesce(?, filename), updated_at = now() WHERE account_id = ? AND id = ? RETURNING " + COLUMNS)) {
                ps.setString(1, json(set));
                ps.setArray(2, c.createArrayOf("text", remove.toArray()));
                ps.setString(3, filename);
                ps.setObject(4, accountId);
                ps.setObject(5, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(asset(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Writes a probe's outcome to the asset while it is {@code processing} ({@link ProbeOutcome#settle}). */
    void settle(UUID id, ProbeOutcome outcome) {
        db.withConnection(c -> outcome.settle(c, id));
    }

    /** Assets left in {@code processing} (e.g. by a restart during an asynchronous probe). */
    List<Asset> processing(int max) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM assets WHERE status = 'processing' ORDER BY created_at LIMIT ?")) {
                ps.setInt(1, max);
                List<Asset> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(asset(rs));
                    }
                }
                return out;
            }
        });
    }

    List<Asset> lockExpired(Connection c, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM assets WHERE expires_at < now() "
                + "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.asset_id = assets.id AND j.status IN ('queued', 'running')) "
                + "ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, max);
            List<Asset> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(asset(rs));
                }
            }
            return out;
        }
    }

    int activeJobs(Connection c, UUID assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM jobs WHERE asset_id = ? AND status IN ('queued', 'running')")) {
            ps.setObject(1, assetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    int failActiveJobs(Connection c, UUID assetId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'failed', error = ?, updated_at = now() "
                + "WHERE asset_id = ? AND status IN ('queued', 'running')")) {
            ps.setString(1, reason);
            ps.setObject(2, assetId);
            return ps.executeUpdate();
        }
    }

    void delete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM assets WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private static Asset asset(ResultSet rs) throws SQLException {
        double duration = rs.getDouble("duration_seconds");
        Double durationOrNull = rs.wasNull() ? null : duration;
        int rate = rs.getInt("sample_rate");
        Integer rateOrNull = rs.wasNull() ? null : rate;
        int channels = rs.getInt("channels");
        Integer channelsOrNull = rs.wasNull() ? null : channels;
        return new Asset(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), rs.getString("sha256"),
                rs.getString("method"), rs.getString("filename"), rs.getString("content_type"), rs.getString("file_type"),
                rs.getLong("size_bytes"), Asset.Status.of(rs.getString("status")), rs.getString("error_code"),
                rs.getString("error_message"), durationOrNull, rs.getString("container"), rs.getString("codec"),
                rateOrNull, channelsOrNull, parse(rs.getString("metadata")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getTimestamp("expires_at").toInstant());
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.mapper().readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata column is not JSON", e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
