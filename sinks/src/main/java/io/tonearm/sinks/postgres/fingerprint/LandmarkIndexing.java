package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.analysis.fingerprint.NearDuplicate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes one recording's landmarks into the index, inside the caller's transaction, and records the near-duplicates
 * the new recording has among those already indexed.
 *
 * <p>Idempotent: a recording already indexed under the same format is left as it is (the pipeline's sink is
 * at-least-once, so the same write may come twice); under another format its landmarks are replaced. The landmarks
 * are one row, packed ({@link PackedLandmarks}): its distinct hashes for the GIN index and the times beside them.
 *
 * <p>Near-duplicates are judged here, in the transaction that inserts, because only here is the index consistent:
 * a transaction-scoped advisory lock serializes landmark writes, so of two encodings of one recording indexed at
 * the same moment (by two sink subtasks) the second always sees the first, committed. Candidates are recordings of
 * about the same length ({@link NearDuplicate#maxDurationDifferenceSeconds()}), which keeps the lookup small.
 */
public final class LandmarkIndexing {

    /** Arbitrary constant key of the advisory lock that serializes landmark writes. */
    private static final long LOCK_KEY = 0x746f6e6561726dL; // "tonearm"
    private static final int CANDIDATES = 10;

    private LandmarkIndexing() {
    }

    /**
     * Indexes {@code l} (when not yet indexed in its format) and records its near-duplicates.
     *
     * @return true when landmarks were written, false when the recording was already indexed
     */
    public static boolean index(Connection c, RecordingLandmarks l, NearDuplicate rule) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
        }
        Integer id = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, format FROM fingerprint_recordings WHERE sha256 = ? FOR UPDATE")) {
            ps.setString(1, l.sha256());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (l.format().equals(rs.getString(2))) return false;
                    id = rs.getInt(1);
                }
            }
        }
        PackedLandmarks packed = PackedLandmarks.pack(l.hashes(), l.times());
        if (id == null) {
            id = insertRecording(c, l, packed);
        } else {
            replaceRecording(c, id, l, packed);
        }
        recordNearDuplicates(c, id, l, rule);
        return true;
    }

    private static int insertRecording(Connection c, RecordingLandmarks l, PackedLandmarks packed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO fingerprint_recordings (sha256, format, frames, landmark_count, hashes, landmark_times)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
            ps.setString(1, l.sha256());
            ps.setString(2, l.format());
            ps.setInt(3, l.frames());
            ps.setInt(4, l.hashes().length);
            packed.bind(c, ps, 5);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void replaceRecording(Connection c, int id, RecordingLandmarks l, PackedLandmarks packed) throws SQLException {
        try (PreparedStatement pairs = c.prepareStatement(
                "DELETE FROM fingerprint_near_duplicates WHERE recording_id = ? OR duplicate_id = ?");
             PreparedStatement upd = c.prepareStatement("""
                     UPDATE fingerprint_recordings SET format = ?, frames = ?, landmark_count = ?, hashes = ?, landmark_times = ?,
                         indexed_at = now()
                     WHERE id = ?""")) {
            pairs.setInt(1, id);
            pairs.setInt(2, id);
            pairs.executeUpdate();
            upd.setString(1, l.format());
            upd.setInt(2, l.frames());
            upd.setInt(3, l.hashes().length);
            packed.bind(c, upd, 4);
            upd.setInt(6, id);
            upd.executeUpdate();
        }
    }

    private static void recordNearDuplicates(Connection c, int id, RecordingLandmarks l, NearDuplicate rule) throws SQLException {
        Landmarks query = l.landmarks();
        int tolerance = (int) Math.ceil(rule.maxDurationDifferenceSeconds() * Landmarks.FRAME_RATE);
        PostgresFingerprintIndex index = PostgresFingerprintIndex.nearDuplicateCandidates(c,
                PostgresFingerprintIndex.Scope.ALL.excluding(l.sha256()).framesBetween(l.frames() - tolerance, l.frames() + tolerance), rule);
        List<Matcher.Match> matches = Matcher.unfiltered().match(query, index, CANDIDATES);
        if (matches.isEmpty()) return;
        try (PreparedStatement candidate = c.prepareStatement(
                "SELECT id, landmark_count, frames FROM fingerprint_recordings WHERE sha256 = ?");
             PreparedStatement pair = c.prepareStatement("""
                     INSERT INTO fingerprint_near_duplicates (recording_id, duplicate_id, score, ratio, offset_seconds)
                     VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Matcher.Match m : matches) {
                candidate.setString(1, m.recordingId());
                try (ResultSet rs = candidate.executeQuery()) {
                    if (!rs.next()) continue;
                    int otherId = rs.getInt(1);
                    NearDuplicate.Verdict v = rule.judge(m, query.count(), query.durationSeconds(), rs.getInt(2),
                            rs.getInt(3) / Landmarks.FRAME_RATE);
                    if (!v.duplicate()) continue;
                    bindPair(pair, 1, id, otherId, v, v.offsetSeconds());
                    bindPair(pair, 6, otherId, id, v, -v.offsetSeconds());
                    pair.executeUpdate();
                }
            }
        }
    }

    private static void bindPair(PreparedStatement ps, int at, int from, int to, NearDuplicate.Verdict v, double offset) throws SQLException {
        ps.setInt(at, from);
        ps.setInt(at + 1, to);
        ps.setInt(at + 2, v.score());
        ps.setDouble(at + 3, v.ratio());
        ps.setDouble(at + 4, offset);
    }
}
