package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.FingerprintIndex;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Posting;
import io.tonearm.sinks.postgres.Database;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The landmark index as migration V7 laid it out (one row per landmark in {@code fingerprint_landmarks}), for the
 * tests that convert it and for the bench's reference: writing a recording as V7's {@code LandmarkIndexing} did
 * (its row, then one COPY) and looking postings up as V7's {@code PostgresFingerprintIndex} did (one
 * {@code hash = ANY(?)} index-only scan; unscoped, or scoped as its near-duplicate check was).
 */
final class V7Layout {

    private V7Layout() {
    }

    /** Applies the migrations up to V8, the last before the packed layout. */
    static void migrateToV8(String jdbcUrl, String user) {
        Flyway.configure().dataSource(jdbcUrl, user, null).locations("classpath:db/migration").target("8").load().migrate();
    }

    /** Writes {@code l} as V7 stored it; returns the recording's number. */
    static int write(Connection c, String sha256, Landmarks l) throws SQLException {
        int id;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fingerprint_recordings (sha256, format, frames, landmark_count) VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, sha256);
            ps.setString(2, LandmarkFormat.V1.id()); // V7 knew only version 1
            ps.setInt(3, l.frames());
            ps.setInt(4, l.count());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
        }
        copy(c, id, l);
        return id;
    }

    /** The rows of {@code l} for recording {@code id}, by one COPY. */
    static void copy(Connection c, int id, Landmarks l) throws SQLException {
        if (l.count() == 0) return;
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY fingerprint_landmarks (hash, recording_id, time_frames) FROM STDIN", new RowsReader(id, l));
        } catch (IOException e) {
            throw new SQLException("COPY of landmarks failed", e);
        }
    }

    /** V7's unscoped lookup. */
    static FingerprintIndex index(Connection c) {
        return index(c, null, 0, Integer.MAX_VALUE);
    }

    /** V7's lookup of a near-duplicate check: all but {@code excluded}, recordings of a length range. */
    static FingerprintIndex index(Connection c, String excluded, int minFrames, int maxFrames) {
        return new FingerprintIndex() {
            @Override
            public void add(String recordingId, Landmarks landmarks) {
                throw new UnsupportedOperationException("write with V7Layout.write");
            }

            @Override
            public List<Posting> lookup(int hash) {
                return lookupAll(new int[]{hash}).getOrDefault(hash, List.of());
            }

            @Override
            public Map<Integer, List<Posting>> lookupAll(int[] hashes) {
                try {
                    return postings(c, hashes, excluded, minFrames, maxFrames);
                } catch (SQLException e) {
                    throw new Database.DataAccessException(e);
                }
            }
        };
    }

    private static Map<Integer, List<Posting>> postings(Connection c, int[] hashes, String excluded, int minFrames, int maxFrames)
            throws SQLException {
        Integer[] distinct = Arrays.stream(hashes).distinct().boxed().toArray(Integer[]::new);
        Map<Integer, List<Posting>> out = new HashMap<>();
        if (distinct.length == 0) return out;
        Map<Integer, List<int[]>> raw = new HashMap<>();
        List<Integer> recordings = new ArrayList<>();
        String sql = "SELECT l.hash, l.recording_id, l.time_frames FROM fingerprint_landmarks l WHERE l.hash = ANY(?)";
        if (excluded != null) {
            sql += " AND l.recording_id IN (SELECT r.id FROM fingerprint_recordings r WHERE r.sha256 <> ? AND r.frames >= ? AND r.frames <= ?)";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("integer", distinct));
            if (excluded != null) {
                ps.setString(2, excluded);
                ps.setInt(3, minFrames);
                ps.setInt(4, maxFrames);
            }
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    raw.computeIfAbsent(rs.getInt(1), h -> new ArrayList<>()).add(new int[]{rs.getInt(2), rs.getInt(3)});
                    recordings.add(rs.getInt(2));
                }
            }
        }
        Map<Integer, String> sha256s = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, sha256 FROM fingerprint_recordings WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("integer", recordings.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sha256s.put(rs.getInt(1), rs.getString(2));
            }
        }
        raw.forEach((hash, list) -> {
            List<Posting> postings = new ArrayList<>(list.size());
            for (int[] p : list) postings.add(new Posting(sha256s.get(p[0]), p[1]));
            out.put(hash, postings);
        });
        return out;
    }

    /** COPY text rows, made as they are read: a catalog of thousands of recordings never sits in memory as text. */
    private static final class RowsReader extends Reader {
        private final int id;
        private final Landmarks l;
        private int next;
        private String row = "";
        private int at;

        RowsReader(int id, Landmarks l) {
            this.id = id;
            this.l = l;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            if (len == 0) return 0;
            int n = 0;
            while (n < len) {
                if (at == row.length()) {
                    if (next == l.count()) break;
                    row = l.hashes()[next] + "\t" + id + "\t" + l.times()[next] + "\n";
                    next++;
                    at = 0;
                }
                int k = Math.min(len - n, row.length() - at);
                row.getChars(at, at + k, buf, off + n);
                at += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }

        @Override
        public void close() {
        }
    }
}
