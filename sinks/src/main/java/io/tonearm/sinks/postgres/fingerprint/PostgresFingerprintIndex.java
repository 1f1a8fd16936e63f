package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.FingerprintIndex;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.analysis.fingerprint.Posting;
import io.tonearm.sinks.postgres.Database;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The landmark index in PostgreSQL ({@code fingerprint_recordings}, migrations V7 and V10), on one connection the
 * caller owns (inside its transaction, if it has one). Recording ids are sha256s.
 *
 * <p>{@link #lookupAll} works in two steps, in one query. First the candidates: the GIN index over each recording's
 * distinct hashes counts, per recording, how many of the query's distinct hashes it holds (one index scan per hash;
 * at most {@value #MAX_QUERY_HASHES} of them, a fixed pseudo-random subset of a longer query's; the near-duplicate
 * check's lookup fewer, and it keeps only recordings sharing enough of them: {@link #nearDuplicateCandidates}), and the
 * {@value #CANDIDATES} recordings sharing the most are kept (fewer when they are long: {@link #LANDMARK_BUDGET}).
 * Then their packed landmarks are read and every posting of the query's hashes in them is returned, so the
 * {@link io.tonearm.analysis.fingerprint.Matcher}'s time-offset votes are exact for the candidates. What the index
 * returns is thus not every posting: a recording that shares fewer hashes than the best candidates is left out. A
 * true match shares far more than chance does ({@code FingerprintIndexBench} reports the rank of the true recording
 * by shared hashes: always first on its catalog).
 *
 * <p>A {@link Scope} narrows what a lookup sees, inside the candidate query, before the best are chosen: one account's
 * recordings (identify answers only from the caller's catalog, so another account's recording can neither appear nor
 * push the caller's own out of the candidates), all but one recording (the query itself), recordings of a length
 * range (near-duplicate candidates).
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

    /**
     * Recordings whose landmarks are read and voted on per lookup: more than the most matches any caller asks for
     * (10). Reading them is most of a lookup's time (≈ 0.5 ms each); on FingerprintIndexBench's catalog the true
     * recording always ranked first by shared hashes.
     */
    static final int CANDIDATES = 16;
    /**
     * Landmarks read per lookup beyond the first {@value #ALWAYS_READ} candidates (≈ 18 three-minute tracks): long
     * recordings (hour-long mixes share many hashes with any query by chance) would otherwise make a lookup read
     * megabytes. On FingerprintIndexBench's catalog, where every 50th recording is a 40-minute mix, 16 candidates
     * cost 51 ms without this bound.
     */
    static final int LANDMARK_BUDGET = 200_000;
    static final int ALWAYS_READ = 4;
    /** Query hashes looked up in the GIN index at most (one index scan each): ~2000 cover a 30 s excerpt. */
    static final int MAX_QUERY_HASHES = 2000;
    /**
     * Query hashes the near-duplicate check looks up: it asks about a whole recording, of which a copy holds a large
     * share, so a small sample finds it (below). An eighth of {@value #MAX_QUERY_HASHES}, as are its index scans.
     */
    static final int NEAR_DUPLICATE_QUERY_HASHES = 256;

    private final Connection connection;
    private final Scope scope;
    private final int candidates;
    private final int queryHashes;
    private final double minSharedFraction;

    public PostgresFingerprintIndex(Connection connection, Scope scope) {
        this(connection, scope, CANDIDATES);
    }

    /** With another number of candidates: for the bench. */
    PostgresFingerprintIndex(Connection connection, Scope scope, int candidates) {
        this(connection, scope, candidates, MAX_QUERY_HASHES, 0);
    }

    private PostgresFingerprintIndex(Connection connection, Scope scope, int candidates, int queryHashes, double minSharedFraction) {
        this.connection = connection;
        this.scope = scope;
        this.candidates = candidates;
        this.queryHashes = queryHashes;
        this.minSharedFraction = minSharedFraction;
    }

    /**
     * The index as the near-duplicate check of a whole recording queries it: {@value #NEAR_DUPLICATE_QUERY_HASHES}
     * sampled hashes, and only recordings holding at least half of {@code rule}'s minimum ratio of the sample are
     * candidates (their landmarks are read and voted on; the others cannot be copies). Why half: over synthetic tracks
     * degraded by noise (20 to -6 dB SNR) and mp3 (64 to 8 kb/s), a copy held at least as large a share of the
     * query's distinct hashes as its judged ratio up to ratios of 0.5 (0.21 at 0.17, the lowest accepted), and
     * unrelated tracks held 0.006–0.027; with 256 sampled hashes the cut-off (20 at 0.15) lies about 5 standard
     * deviations from both ({@code NearDuplicateCandidatesTest} pairs exactly the copies the full comparison
     * accepts). Without it, every check in a large catalog reads {@value #CANDIDATES} recordings that share a few
     * hashes by chance, most of the check's time.
     */
    public static PostgresFingerprintIndex nearDuplicateCandidates(Connection connection, Scope scope, NearDuplicate rule) {
        return new PostgresFingerprintIndex(connection, scope, CANDIDATES, NEAR_DUPLICATE_QUERY_HASHES, rule.minRatio() / 2);
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

    /** The postings of {@code hash} in the {@value #CANDIDATES} recordings holding it that come first by id. */
    @Override
    public List<Posting> lookup(int hash) {
        return lookupAll(new int[]{hash}).getOrDefault(hash, List.of());
    }

    @Override
    public Map<Integer, List<Posting>> lookupAll(int[] hashes) {
        int[] distinct = Arrays.stream(hashes).distinct().sorted().toArray();
        if (distinct.length == 0) return Map.of();
        Map<Integer, List<Posting>> out = new HashMap<>();
        try {
            withBitmapScansOnly(c -> {
                try (PreparedStatement ps = connection.prepareStatement(sql())) {
                    // binary results from the first execution: hashes arrive as int32s rather than text to parse
                    ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
                    bind(ps, distinct);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) PackedLandmarks.read(rs, 2).addPostings(rs.getString(1), distinct, out);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
        return out;
    }

    /** The plan PostgreSQL chooses for the candidate query of {@code hashes}, one line per plan line (for tests). */
    String plan(int[] hashes) throws SQLException {
        return withBitmapScansOnly(c -> {
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + sql())) {
                bind(ps, Arrays.stream(hashes).distinct().toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        });
    }

    private void bind(PreparedStatement ps, int[] distinct) throws SQLException {
        int[] sampled = sample(distinct, queryHashes);
        int i = 1;
        ps.setArray(i++, connection.createArrayOf("integer", Arrays.stream(sampled).boxed().toArray()));
        if (scope.excludedSha256() != null) ps.setString(i++, scope.excludedSha256());
        if (scope.minFrames() != null) ps.setInt(i++, scope.minFrames());
        if (scope.maxFrames() != null) ps.setInt(i++, scope.maxFrames());
        ps.setInt(i++, Math.max(1, (int) Math.ceil(sampled.length * minSharedFraction)));
        if (scope.accountId() != null) ps.setObject(i++, scope.accountId());
        ps.setInt(i, candidates);
    }

    /**
     * Runs {@code work} with sequential and plain index scans disabled, in the caller's transaction or in one of its
     * own, and restores the settings after. Why: {@code hashes} are TOASTed, so the table's heap looks small and the
     * planner, which does not count detoasting, prefers to read every row and test {@code hashes @> ARRAY[hash]} per
     * query hash (a join filter): on 200 recordings a 600-hash query took 5.7 s that way against 4 ms through the GIN
     * index. With both scans disabled, the only paths left are bitmap scans of the GIN index (and of the primary key
     * and the assets index for the rest of the query).
     */
    private <T> T withBitmapScansOnly(Database.SqlWork<T> work) throws SQLException {
        boolean ownTransaction = connection.getAutoCommit();
        if (ownTransaction) connection.setAutoCommit(false);
        try {
            String previous;
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('enable_seqscan') || ',' || current_setting('enable_indexscan'), "
                         + "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")) {
                rs.next();
                previous = rs.getString(1);
            }
            T result = work.apply(connection);
            if (ownTransaction) {
                connection.commit();
            } else {
                String[] p = previous.split(",");
                try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT set_config('enable_seqscan', ?, true), set_config('enable_indexscan', ?, true)")) {
                    ps.setString(1, p[0]);
                    ps.setString(2, p[1]);
                    ps.execute();
                }
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            if (ownTransaction) connection.rollback();
            throw e;
        } finally {
            if (ownTransaction) connection.setAutoCommit(true);
        }
    }

    /**
     * The candidate query: per query hash one GIN scan, the length and exclusion filters on each row found, the
     * account's ownership checked once per recording, the best {@code candidates} by shared hashes, and of those the
     * first {@value #ALWAYS_READ} and the next ones while fewer than {@value #LANDMARK_BUDGET} landmarks come before
     * them; only these rows' packed landmarks are read.
     */
    private String sql() {
        StringBuilder hits = new StringBuilder("""
                SELECT r.id FROM unnest(?::integer[]) AS q(hash)
                JOIN fingerprint_recordings r ON r.hashes @> ARRAY[q.hash]
                WHERE true""");
        if (scope.excludedSha256() != null) hits.append(" AND r.sha256 <> ?");
        if (scope.minFrames() != null) hits.append(" AND r.frames >= ?");
        if (scope.maxFrames() != null) hits.append(" AND r.frames <= ?");
        String owned = scope.accountId() == null ? ""
                : " WHERE EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = r.sha256 AND a.account_id = ?)";
        return """
                SELECT r.sha256, r.hashes, r.landmark_times
                FROM (
                    SELECT id, row_number() OVER w AS rank, sum(landmark_count) OVER w - landmark_count AS before
                    FROM (
                        SELECT r.id, c.shared, r.landmark_count
                        FROM (SELECT id, count(*) AS shared FROM (%s) hits GROUP BY id HAVING count(*) >= ?) c
                        JOIN fingerprint_recordings r ON r.id = c.id%s
                        ORDER BY c.shared DESC, r.id
                        LIMIT ?
                    ) best
                    WINDOW w AS (ORDER BY shared DESC, id)
                ) ranked
                JOIN fingerprint_recordings r ON r.id = ranked.id
                WHERE ranked.rank <= %d OR ranked.before < %d""".formatted(hits, owned, ALWAYS_READ, LANDMARK_BUDGET);
    }

    /** {@link #sample(int[], int)} of an identify query. */
    static int[] sample(int[] distinct) {
        return sample(distinct, MAX_QUERY_HASHES);
    }

    /**
     * At most {@code max} of {@code distinct}: those whose scrambled value is smallest, so the subset is the same
     * wherever the same hashes occur (a consistent sample: two copies of one recording keep sharing the same
     * proportion of it).
     */
    static int[] sample(int[] distinct, int max) {
        if (distinct.length <= max) return distinct;
        long[] keyed = new long[distinct.length];
        for (int i = 0; i < distinct.length; i++) keyed[i] = (long) scramble(distinct[i]) << 32 | (distinct[i] & 0xFFFFFFFFL);
        Arrays.sort(keyed);
        int[] out = new int[max];
        for (int i = 0; i < out.length; i++) out[i] = (int) keyed[i];
        return out;
    }

    /** A bijective integer mix (the finalizer of MurmurHash3), so nearby hashes land far apart. */
    private static int scramble(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
