package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.FingerprintIndex;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.analysis.fingerprint.Posting;
import io.tonearm.sinks.postgres.Database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The landmark index in PostgreSQL ({@code fingerprint_landmarks}, migration V7), on one connection the caller owns
 * (inside its transaction, if it has one). Recording ids are sha256s. {@link #lookupAll} is one
 * {@code hash = ANY(?)} query for all of a query's distinct hashes (an index-only scan), plus one query mapping the
 * compact recording numbers found back to sha256s.
 *
 * <p>A {@link Scope} narrows what a lookup sees: one account's recordings (identify answers only from the caller's
 * catalog, so another account's recording can never appear, even by chance), all but one recording (the query
 * itself), recordings of a length range (near-duplicate candidates).
 */
public final class PostgresFingerprintIndex implements FingerprintIndex {

    /**
     * Which recordings a lookup sees; null fields do not restrict.
     *
     * @param accountId      only recordings that are assets of this account
     * @param excludedSha256 never this recording
     * @param minFrames      only recordings at least this long
     * @param maxFrames      only recordings at most this long
     */
    public record Scope(UUID accountId, String excludedSha256, Integer minFrames, Integer maxFrames) {
        public static final Scope ALL = new Scope(null, null, null, null);

        public Scope ofAccount(UUID account) {
            return new Scope(account, excludedSha256, minFrames, maxFrames);
        }

        public Scope excluding(String sha256) {
            return new Scope(accountId, sha256, minFrames, maxFrames);
        }

        public Scope framesBetween(int min, int max) {
            return new Scope(accountId, excludedSha256, min, max);
        }
    }

    private final Connection connection;
    private final Scope scope;

    public PostgresFingerprintIndex(Connection connection, Scope scope) {
        this.connection = connection;
        this.scope = scope;
    }

    /** Indexes the recording {@code sha256} (near-duplicates recorded by the standard rule); a no-op when already indexed. */
    @Override
    public void add(String sha256, Landmarks landmarks) {
        try {
            LandmarkIndexing.index(connection, RecordingLandmarks.of(sha256, landmarks), NearDuplicate.STANDARD);
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
    }

    @Override
    public List<Posting> lookup(int hash) {
        return lookupAll(new int[]{hash}).getOrDefault(hash, List.of());
    }

    @Override
    public Map<Integer, List<Posting>> lookupAll(int[] hashes) {
        Integer[] distinct = Arrays.stream(hashes).distinct().boxed().toArray(Integer[]::new);
        if (distinct.length == 0) return Map.of();
        try {
            Map<Integer, List<int[]>> raw = new HashMap<>(); // hash → {recording number, time}
            List<Integer> recordings = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql())) {
                Array array = connection.createArrayOf("integer", distinct);
                int i = 1;
                ps.setArray(i++, array);
                if (scope.accountId() != null) ps.setObject(i++, scope.accountId());
                if (scope.excludedSha256() != null) ps.setString(i++, scope.excludedSha256());
                if (scope.minFrames() != null) ps.setInt(i++, scope.minFrames());
                if (scope.maxFrames() != null) ps.setInt(i++, scope.maxFrames());
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int recording = rs.getInt(2);
                        raw.computeIfAbsent(rs.getInt(1), h -> new ArrayList<>()).add(new int[]{recording, rs.getInt(3)});
                        recordings.add(recording);
                    }
                }
                array.free();
            }
            Map<Integer, String> sha256s = sha256s(recordings);
            Map<Integer, List<Posting>> out = new HashMap<>(raw.size() * 2);
            raw.forEach((hash, list) -> {
                List<Posting> postings = new ArrayList<>(list.size());
                for (int[] p : list) postings.add(new Posting(sha256s.get(p[0]), p[1]));
                out.put(hash, postings);
            });
            return out;
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
    }

    private String sql() {
        StringBuilder sql = new StringBuilder("SELECT l.hash, l.recording_id, l.time_frames FROM fingerprint_landmarks l WHERE l.hash = ANY(?)");
        if (scope.equals(Scope.ALL)) return sql.toString();
        sql.append(" AND l.recording_id IN (SELECT r.id FROM fingerprint_recordings r WHERE true");
        if (scope.accountId() != null) sql.append(" AND EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = r.sha256 AND a.account_id = ?)");
        if (scope.excludedSha256() != null) sql.append(" AND r.sha256 <> ?");
        if (scope.minFrames() != null) sql.append(" AND r.frames >= ?");
        if (scope.maxFrames() != null) sql.append(" AND r.frames <= ?");
        return sql.append(")").toString();
    }

    private Map<Integer, String> sha256s(List<Integer> recordings) throws SQLException {
        Integer[] ids = recordings.stream().distinct().toArray(Integer[]::new);
        Map<Integer, String> out = new HashMap<>();
        if (ids.length == 0) return out;
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, sha256 FROM fingerprint_recordings WHERE id = ANY(?)")) {
            ps.setArray(1, connection.createArrayOf("integer", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }
}
