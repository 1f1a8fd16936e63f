package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The read side of the fingerprint tables for the API: a recording's own landmarks, its near-duplicates, and which of an account's assets hold given recordings. */
public final class FingerprintRepository {

    /** A near-duplicate as one account sees it: its asset, the aligned landmarks, where this recording starts in it. */
    public record NearDuplicateAsset(UUID assetId, String sha256, int score, double offsetSeconds) {
    }

    private FingerprintRepository() {
    }

    /** The indexed landmarks of {@code sha256}, in time order; empty when it was never fingerprinted. */
    public static Optional<Landmarks> landmarks(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT frames, hashes, landmark_times FROM fingerprint_recordings WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(PackedLandmarks.read(rs, 2).unpack(rs.getInt(1)));
            }
        }
    }

    /**
     * Whether any of {@code account}'s assets is indexed in {@code format}. Asked for formats other than the current
     * one, which only recordings indexed before it was introduced hold (V12 indexes them apart, so the answer is quick
     * once none are left).
     */
    public static boolean accountHolds(Connection c, UUID account, LandmarkFormat format) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM fingerprint_recordings r JOIN assets a ON a.sha256 = r.sha256
                               WHERE r.format = ? AND a.account_id = ?)""")) {
            ps.setString(1, format.id());
            ps.setObject(2, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The near-duplicates of {@code sha256} that are assets of {@code account}, best first. */
    public static List<NearDuplicateAsset> nearDuplicates(Connection c, UUID account, String sha256) throws SQLException {
        List<NearDuplicateAsset> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.id, o.sha256, d.score, d.offset_seconds
                FROM fingerprint_recordings r
                JOIN fingerprint_near_duplicates d ON d.recording_id = r.id
                JOIN fingerprint_recordings o ON o.id = d.duplicate_id
                JOIN assets a ON a.sha256 = o.sha256 AND a.account_id = ?
                WHERE r.sha256 = ?
                ORDER BY d.score DESC, a.id""")) {
            ps.setObject(1, account);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new NearDuplicateAsset(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getDouble(4)));
                }
            }
        }
        return out;
    }

    /** sha256 → the account's asset holding it, for those of {@code sha256s} it holds. */
    public static Map<String, UUID> assetsOf(Connection c, UUID account, List<String> sha256s) throws SQLException {
        Map<String, UUID> out = new LinkedHashMap<>();
        if (sha256s.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256, id FROM assets WHERE account_id = ? AND sha256 = ANY(?)")) {
            ps.setObject(1, account);
            ps.setArray(2, c.createArrayOf("text", sha256s.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        return out;
    }
}
