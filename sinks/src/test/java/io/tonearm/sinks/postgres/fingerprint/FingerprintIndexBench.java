package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.FingerprintIndex;
import io.tonearm.analysis.fingerprint.LandmarkHash;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Bench (opt-in: {@code -Dtonearm.bench=true -Dtest=FingerprintIndexBench}; the command, its run time and the
 * figures are in docs/analysis.md, "Identification"): the V7 layout against the packed V10
 * layout on one catalog in the same run. Fills a database at V8 with N recordings as V7 wrote them and measures bytes
 * per recording and the latency and recall of lookups; migrates it to V10 (timed) and measures the same; then fills a
 * second database at V10 one recording at a time as the pipeline does ({@link LandmarkIndexing}, with the
 * near-duplicate check) and measures the same there, also with other numbers of candidates. Indexing 50 more
 * recordings is timed in both layouts (V7's COPY and near-duplicate lookup against V10's packed row, GIN update and
 * near-duplicate check).
 *
 * <p>The catalog: {@code tonearm.bench.bases} synthetic tracks (150–240 s) fingerprinted from audio, each also
 * indexed as transposed (anchor bins shifted) and tempo-scaled (time differences scaled) variants in the hash domain,
 * up to {@code tonearm.bench.recordings} recordings, every 50th of them a 40-minute mix of 12 variants (a long
 * recording shares many hashes with any query by chance). Variants of one track share much of its structure, so
 * they are harder look-alikes than distinct music would be. Queries: 10 s excerpts of the tracks from audio (clean and with
 * white noise at 20 dB SNR on one frame grid, as {@code /v1/identify} queries; noisy on 4 grids), and whole tracks
 * (as identify-by-asset and the near-duplicate check query). Prints figures and ratios; asserts nothing about speed.
 */
@EnabledIfSystemProperty(named = "tonearm.bench", matches = "true")
class FingerprintIndexBench {

    private static final int BASES = Integer.getInteger("tonearm.bench.bases", 40);
    private static final int RECORDINGS = Integer.getInteger("tonearm.bench.recordings", 2000);

    /** A query and the recording it comes from. */
    private record Query(String kind, Landmarks landmarks, String truth, double offsetSeconds) {
    }

    @Test
    void v7VersusPacked() throws Exception {
        long t0 = System.nanoTime();
        List<Landmarks> bases = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        Random rng = new Random(5);
        for (int b = 0; b < BASES; b++) {
            float[] audio = CatalogSynth.track(70_000 + b, 150 + (b * 37) % 90);
            Landmarks l = Degradations.fingerprint(audio, Map.of());
            bases.add(l);
            int start = rng.nextInt(audio.length - 10 * CatalogSynth.RATE);
            float[] excerpt = Arrays.copyOfRange(audio, start, start + 10 * CatalogSynth.RATE);
            double offset = start / (double) CatalogSynth.RATE;
            queries.add(new Query("10 s clean, 1 grid", Degradations.fingerprint(excerpt, Map.of()), sha(b, 0), offset));
            float[] noisy = Degradations.noisy(excerpt, 20, rng);
            queries.add(new Query("10 s 20 dB SNR, 1 grid", Degradations.fingerprint(noisy, Map.of()), sha(b, 0), offset));
            queries.add(new Query("10 s 20 dB SNR, 4 grids", Degradations.fingerprint(noisy, Degradations.QUERY), sha(b, 0), offset));
            if (b < 10) queries.add(new Query("whole track", l, sha(b, 0), 0));
        }
        System.out.printf("fingerprinted %d tracks and %d queries in %.0f s%n", BASES, queries.size(), (System.nanoTime() - t0) / 1e9);

        PostgresServer server = LocalStack.shared().postgres();
        String v7Url = server.createDatabase("fb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        String v10Url = server.createDatabase("fb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        V7Layout.migrateToV8(v7Url, PostgresServer.SUPERUSER);
        long landmarks = 0;
        long moreLandmarks = 0;
        for (int i = 0; i < MORE; i++) moreLandmarks += recording(bases, RECORDINGS + i).count();
        long v7Bytes, convertedBytes, indexedBytes;
        double migration;
        Lookups v7, converted, indexed;
        double[] v7Indexing, v10Indexing;
        Checks v7Checks, v10Checks, v10NearChecks;
        Map<Integer, Lookups> byCandidates = new LinkedHashMap<>();
        int[] ranks;
        try (Connection c = DriverManager.getConnection(v7Url, PostgresServer.SUPERUSER, null)) {
            t0 = System.nanoTime();
            c.setAutoCommit(false);
            for (int r = 0; r < RECORDINGS; r++) {
                Landmarks l = recording(bases, r);
                V7Layout.write(c, sha(r % BASES, r / BASES), l);
                landmarks += l.count();
                if (r % 100 == 99) c.commit();
            }
            c.commit();
            c.setAutoCommit(true);
            System.out.printf("V7: wrote %d recordings, %d landmarks in %.0f s%n", RECORDINGS, landmarks, (System.nanoTime() - t0) / 1e9);
            v7Bytes = bytes(c, "fingerprint_landmarks") + bytes(c, "fingerprint_recordings");
            v7 = lookups(c, queries, V7Layout::index);
            v7Checks = nearDuplicateChecks(c, bases, (sha, range) -> V7Layout.index(c, sha, range[0], range[1]));
            v7Indexing = v7Indexing(c, bases);

            t0 = System.nanoTime();
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(v7Url);
            ds.setUser(PostgresServer.SUPERUSER);
            Database.migrate(ds);
            migration = (System.nanoTime() - t0) / 1e9;
            convertedBytes = bytes(c, "fingerprint_recordings");
            converted = lookups(c, queries, conn -> new PostgresFingerprintIndex(conn, PostgresFingerprintIndex.Scope.ALL));
        }
        try (Database db = Database.open(v10Url, PostgresServer.SUPERUSER, null, 2)) {
            t0 = System.nanoTime();
            for (int r = 0; r < RECORDINGS; r++) {
                RecordingLandmarks l = RecordingLandmarks.of(sha(r % BASES, r / BASES), recording(bases, r));
                db.inTransaction(c -> LandmarkIndexing.index(c, l, NearDuplicate.STANDARD));
            }
            System.out.printf("V10: indexed %d recordings one by one in %.0f s%n", RECORDINGS, (System.nanoTime() - t0) / 1e9);
            indexedBytes = db.withConnection(c -> bytes(c, "fingerprint_recordings"));
            indexed = db.withConnection(c -> lookups(c, queries, conn -> new PostgresFingerprintIndex(conn, PostgresFingerprintIndex.Scope.ALL)));
            for (int k : new int[]{8, 32, 64}) {
                byCandidates.put(k, db.withConnection(c -> lookups(c, queries,
                        conn -> new PostgresFingerprintIndex(conn, PostgresFingerprintIndex.Scope.ALL, k))));
            }
            ranks = db.withConnection(c -> truthRanks(c, queries));
            v10Checks = db.withConnection(c -> nearDuplicateChecks(c, bases, (sha, range) -> new PostgresFingerprintIndex(c,
                    PostgresFingerprintIndex.Scope.ALL.excluding(sha).framesBetween(range[0], range[1]))));
            v10NearChecks = db.withConnection(c -> nearDuplicateChecks(c, bases, (sha, range) -> PostgresFingerprintIndex.nearDuplicateCandidates(c,
                    PostgresFingerprintIndex.Scope.ALL.excluding(sha).framesBetween(range[0], range[1]), NearDuplicate.STANDARD)));
            v10Indexing = new double[MORE];
            for (int i = 0; i < MORE; i++) {
                int r = RECORDINGS + i;
                RecordingLandmarks l = RecordingLandmarks.of(sha(r % BASES, r / BASES), recording(bases, r));
                long start = System.nanoTime();
                db.inTransaction(c -> LandmarkIndexing.index(c, l, NearDuplicate.STANDARD));
                v10Indexing[i] = (System.nanoTime() - start) / 1e6;
            }
        }

        System.out.printf("%nfingerprint index: %d recordings (%d tracks, their variants and %d mixes of %d of them), %.0f landmarks "
                + "each on average; sizes per %d landmarks (a 3-minute track)%n", RECORDINGS, BASES, RECORDINGS / MIX_EVERY, MIX_PARTS,
                landmarks / (double) RECORDINGS, TRACK_LANDMARKS);
        System.out.printf("%-26s %13s %13s %13s %16s%n", "", "V7 (rows)", "V10 migrated", "V10 indexed", "V10 indexed/V7");
        System.out.printf("%-26s %10.1f kB %10.1f kB %10.1f kB %16.3f%n", "bytes per 3-minute track", v7Bytes / 1024.0 / landmarks * TRACK_LANDMARKS,
                convertedBytes / 1024.0 / (landmarks + moreLandmarks) * TRACK_LANDMARKS, indexedBytes / 1024.0 / landmarks * TRACK_LANDMARKS,
                indexedBytes / (double) v7Bytes);
        for (String kind : v7.kinds()) {
            System.out.printf("%-26s %10.1f ms %10.1f ms %10.1f ms %16.2f   median; recall %s, %s, %s%n", kind,
                    v7.median(kind), converted.median(kind), indexed.median(kind), indexed.median(kind) / v7.median(kind),
                    v7.recall(kind), converted.recall(kind), indexed.recall(kind));
            System.out.printf("%-26s %10.1f ms %10.1f ms %10.1f ms %16.2f   90th percentile%n", "",
                    v7.p90(kind), converted.p90(kind), indexed.p90(kind), indexed.p90(kind) / v7.p90(kind));
        }
        System.out.printf("%-26s %10.1f ms %13s %10.1f ms %16.2f   median of %d whole recordings; matches scoring >= 25: %d, %d%n",
                "near-duplicate check", median(v7Checks.millis), "", median(v10Checks.millis), median(v10Checks.millis) / median(v7Checks.millis),
                CHECKS, v7Checks.pairs, v10Checks.pairs);
        System.out.printf("%-26s %10s %13s %10.1f ms %16.2f   the same with the check's own lookup (vs V10's identify form); matches scoring >= 25: %d%n",
                "near-duplicate lookup", "", "", median(v10NearChecks.millis), median(v10NearChecks.millis) / median(v10Checks.millis),
                v10NearChecks.pairs);
        System.out.printf("%-26s %10.0f ms %13s %10.0f ms %16.2f   median of %d, with the near-duplicate check%n",
                "indexing one recording", median(v7Indexing), "", median(v10Indexing), median(v10Indexing) / median(v7Indexing), MORE);
        System.out.printf("false matches in every query's top 10: V7 %d, V10 migrated %d, V10 indexed %d%nV7:%s%nV10 indexed:%s%n",
                v7.falseMatches, converted.falseMatches, indexed.falseMatches, v7.falseDetails, indexed.falseDetails);
        Arrays.sort(ranks);
        System.out.printf("rank of the true recording by shared hashes: median %d, max %d%n", ranks[ranks.length / 2], ranks[ranks.length - 1]);
        System.out.printf("V10 with other candidate counts (default %d), median ms and recall per kind:%n", PostgresFingerprintIndex.CANDIDATES);
        byCandidates.forEach((k, l) -> {
            StringBuilder line = new StringBuilder(String.format("  %3d candidates:", k));
            for (String kind : l.kinds()) line.append(String.format("  %.1f ms %s", l.median(kind), l.recall(kind)));
            System.out.println(line);
        });
        System.out.printf("migration V7 → V10: %.1f s (%.1f s per 1000 3-minute tracks)%n", migration, migration / (landmarks + moreLandmarks) * TRACK_LANDMARKS * 1000);
    }

    private static final int MORE = 50;
    /** Every 50th recording is a long mix (about 40 minutes): many hashes, so it shares many with any query by chance. */
    private static final int MIX_EVERY = 50;
    private static final int MIX_PARTS = 12;
    /** Landmarks of the 3-minute track of PostgresFingerprintIndexTest, to state sizes per typical track. */
    private static final int TRACK_LANDMARKS = 10_751;

    /** Recording {@code r}: a variant of a track, or every {@value #MIX_EVERY}th a mix of {@value #MIX_PARTS} variants. */
    private static Landmarks recording(List<Landmarks> bases, int r) {
        if (r % MIX_EVERY != MIX_EVERY - 1) return variant(bases.get(r % BASES), r / BASES);
        List<Landmarks> parts = new ArrayList<>();
        for (int j = 0; j < MIX_PARTS; j++) parts.add(variant(bases.get((r * 7 + j) % BASES), (r + j * 13) % 97 + 1));
        return concatenated(parts);
    }

    private static Landmarks concatenated(List<Landmarks> parts) {
        int count = parts.stream().mapToInt(Landmarks::count).sum();
        int[] hashes = new int[count];
        int[] times = new int[count];
        int n = 0;
        int offset = 0;
        for (Landmarks p : parts) {
            System.arraycopy(p.hashes(), 0, hashes, n, p.count());
            for (int i = 0; i < p.count(); i++) times[n + i] = p.times()[i] + offset;
            n += p.count();
            offset += p.frames();
        }
        return new Landmarks(hashes, times, offset);
    }

    /**
     * Times indexing {@value #MORE} more recordings as V7 did: its row and one COPY, then the near-duplicate check's
     * lookup (all but itself, length ±1 s) and the matching, in one transaction.
     */
    private static double[] v7Indexing(Connection c, List<Landmarks> bases) throws SQLException {
        double[] millis = new double[MORE];
        int tolerance = (int) Math.ceil(NearDuplicate.STANDARD.maxDurationDifferenceSeconds() * Landmarks.FRAME_RATE);
        c.setAutoCommit(false);
        for (int i = 0; i < MORE; i++) {
            int r = RECORDINGS + i;
            Landmarks l = recording(bases, r);
            String sha = sha(r % BASES, r / BASES);
            long start = System.nanoTime();
            V7Layout.write(c, sha, l);
            Matcher.unfiltered().match(l, V7Layout.index(c, sha, l.frames() - tolerance, l.frames() + tolerance), 10);
            c.commit();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        c.setAutoCommit(true);
        return millis;
    }

    private static final int CHECKS = 40;

    /** Times of near-duplicate checks and how many of their matches scored at least the matcher's minimum. */
    private record Checks(double[] millis, int pairs) {
    }

    /**
     * The near-duplicate check's lookup and matching for {@value #CHECKS} indexed recordings (spread over the catalog,
     * mixes included), as the indexing transaction runs it: all recordings but itself within ±1 s of its length.
     */
    private static Checks nearDuplicateChecks(Connection c, List<Landmarks> bases, BiFunction<String, int[], FingerprintIndex> index) {
        int tolerance = (int) Math.ceil(NearDuplicate.STANDARD.maxDurationDifferenceSeconds() * Landmarks.FRAME_RATE);
        double[] millis = new double[CHECKS];
        int pairs = 0;
        for (int i = 0; i < CHECKS; i++) {
            int r = (int) ((long) i * RECORDINGS / CHECKS) + i % MIX_EVERY;
            Landmarks l = recording(bases, r);
            String sha = sha(r % BASES, r / BASES);
            int[] range = {l.frames() - tolerance, l.frames() + tolerance};
            double best = Double.MAX_VALUE;
            List<Matcher.Match> found = List.of();
            for (int run = 0; run < 3; run++) {
                long t0 = System.nanoTime();
                found = Matcher.unfiltered().match(l, index.apply(sha, range), 10);
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
            millis[i] = best;
            for (Matcher.Match m : found) if (m.score() >= Matcher.DEFAULT_MIN_SCORE) pairs++;
        }
        return new Checks(millis, pairs);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Variant {@code v} of a track: none for 0, else its anchor bins shifted by −20..21 and time differences scaled by 0.85–1.15. */
    static Landmarks variant(Landmarks base, int v) {
        if (v == 0) return base;
        int shift = shift(v);
        double tempo = tempo(v);
        int[] hashes = new int[base.count()];
        int[] times = new int[base.count()];
        int n = 0;
        for (int i = 0; i < base.count(); i++) {
            int h = base.hashes()[i];
            int f1 = LandmarkHash.f1(h) + shift;
            if (f1 < 1 || f1 > 255) continue;
            int dt = Math.max(1, Math.min(63, (int) Math.round(LandmarkHash.dt(h) * tempo)));
            hashes[n] = LandmarkHash.of(f1, LandmarkHash.df(h), dt);
            times[n++] = (int) Math.round(base.times()[i] / tempo);
        }
        return new Landmarks(Arrays.copyOf(hashes, n), Arrays.copyOf(times, n), (int) Math.round(base.frames() / tempo));
    }

    private static int shift(int v) {
        int shift = (v * 7) % 41 - 20;
        return shift == 0 ? 21 : shift;
    }

    private static double tempo(int v) {
        return 0.85 + 0.03 * (v % 11);
    }

    private static final class Lookups {
        final Map<String, List<Double>> millis = new LinkedHashMap<>();
        final Map<String, int[]> found = new HashMap<>();
        int falseMatches;
        final StringBuilder falseDetails = new StringBuilder();

        List<String> kinds() {
            return List.copyOf(millis.keySet());
        }

        double median(String kind) {
            return percentile(kind, 0.5);
        }

        double p90(String kind) {
            return percentile(kind, 0.9);
        }

        String recall(String kind) {
            int[] f = found.get(kind);
            return f[0] + "/" + f[1];
        }

        private double percentile(String kind, double p) {
            List<Double> sorted = millis.get(kind).stream().sorted().toList();
            return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
        }
    }

    /** Every query once to warm the caches, then timed. */
    private static Lookups lookups(Connection c, List<Query> queries, Function<Connection, FingerprintIndex> index) throws SQLException {
        for (Query q : queries) Matcher.standard().match(q.landmarks(), index.apply(c), 10);
        Lookups out = new Lookups();
        for (Query q : queries) {
            List<Matcher.Match> m = null;
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) { // the best of three: the machine is shared, other work only adds time
                long t0 = System.nanoTime();
                m = Matcher.standard().match(q.landmarks(), index.apply(c), 10);
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
            out.millis.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add(best);
            int[] f = out.found.computeIfAbsent(q.kind(), k -> new int[2]);
            f[1]++;
            if (!m.isEmpty() && m.get(0).recordingId().equals(q.truth()) && Math.abs(m.get(0).offsetSeconds() - q.offsetSeconds()) <= 0.1) f[0]++;
            for (Matcher.Match x : m) {
                if (x.recordingId().equals(q.truth())) continue;
                out.falseMatches++;
                out.falseDetails.append(String.format("%n  %s of %s matched %s (score %d, %.1f%% of the query)",
                        q.kind(), NAMES.get(q.truth()), NAMES.get(x.recordingId()), x.score(), 100 * x.confidence()));
            }
        }
        return out;
    }

    /** Where each query's true recording ranks among all recordings by distinct hashes shared with the (sampled) query. */
    private static int[] truthRanks(Connection c, List<Query> queries) throws SQLException {
        int[] ranks = new int[queries.size()];
        // GIN bitmap scans only, as PostgresFingerprintIndex runs its lookups: else the planner may test every row's
        // TOASTed hashes per query hash (a minute per query at 1000 recordings)
        try (Statement st = c.createStatement()) {
            st.execute("SET enable_seqscan = off; SET enable_indexscan = off");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT rank FROM (
                    SELECT r.sha256, rank() OVER (ORDER BY count(*) DESC) AS rank
                    FROM unnest(?::integer[]) AS q(hash) JOIN fingerprint_recordings r ON r.hashes @> ARRAY[q.hash]
                    GROUP BY r.id) ranked
                WHERE sha256 = ?""")) {
            for (int i = 0; i < queries.size(); i++) {
                int[] sampled = PostgresFingerprintIndex.sample(Arrays.stream(queries.get(i).landmarks().hashes()).distinct().toArray());
                ps.setArray(1, c.createArrayOf("integer", Arrays.stream(sampled).boxed().toArray()));
                ps.setString(2, queries.get(i).truth());
                try (ResultSet rs = ps.executeQuery()) {
                    ranks[i] = rs.next() ? rs.getInt(1) : Integer.MAX_VALUE;
                }
            }
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("RESET enable_seqscan; RESET enable_indexscan");
            }
        }
        return ranks;
    }

    private static long bytes(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE " + table);
            try (ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('" + table + "')")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** sha256 → "track b" or "track b, variant v (bins +s, tempo ×f)", for reading false matches. */
    private static final Map<String, String> NAMES = new HashMap<>();

    private static String sha(int base, int variant) {
        String sha = PostgresFingerprintIndexTest.sha(1_000_000 + base * 10_000 + variant);
        NAMES.computeIfAbsent(sha, k -> variant == 0 ? "track " + base : String.format("track %d variant %d (bins %+d, tempo ×%.2f)",
                base, variant, shift(variant), tempo(variant)));
        return sha;
    }
}
