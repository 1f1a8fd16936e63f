package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.InMemoryFingerprintIndex;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL landmark index against a real PostgreSQL, on a synthetic catalog: it answers the {@link Matcher}
 * exactly as {@link InMemoryFingerprintIndex} does on the same data, indexing twice writes nothing twice, a scope
 * keeps other accounts' recordings out, a re-encoded copy is recorded as a near-duplicate in both directions, and
 * the storage a 3-minute track takes is measured.
 */
class PostgresFingerprintIndexTest {

    private static final int TRACKS = 8;
    static Database db;
    static final List<float[]> audio = new ArrayList<>();
    static final List<Landmarks> indexed = new ArrayList<>();
    static final InMemoryFingerprintIndex memory = new InMemoryFingerprintIndex();

    @TempDir
    static Path dir;

    @BeforeAll
    static void catalog() {
        PostgresServer server = LocalStack.shared().postgres();
        String url = server.createDatabase("fp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 2);
        for (int t = 0; t < TRACKS; t++) {
            float[] track = CatalogSynth.track(500 + t, 30 + t * 3);
            Landmarks l = Degradations.fingerprint(track, Map.of());
            audio.add(track);
            indexed.add(l);
            String sha = sha(t);
            memory.add(sha, l);
            db.inTransaction(c -> {
                new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL).add(sha, l);
                return null;
            });
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void matchesExactlyAsTheInMemoryIndexDoes() {
        Random rng = new Random(3);
        List<Landmarks> queries = new ArrayList<>();
        for (int t = 0; t < TRACKS; t++) {
            float[] track = audio.get(t);
            int start = rng.nextInt(track.length - 10 * CatalogSynth.RATE);
            float[] excerpt = Arrays.copyOfRange(track, start, start + 10 * CatalogSynth.RATE);
            queries.add(Degradations.fingerprint(Degradations.noisy(excerpt, 20, rng), Degradations.QUERY));
        }
        queries.add(Degradations.fingerprint(CatalogSynth.track(9999, 15), Degradations.QUERY)); // not in the catalog
        for (int q = 0; q < queries.size(); q++) {
            Landmarks query = queries.get(q);
            List<Matcher.Match> inMemory = Matcher.unfiltered().match(query, memory, 50);
            // other tests add recordings; a recording's match does not depend on the others, so compare the catalog's
            List<Matcher.Match> inPostgres = match(Matcher.unfiltered(), query, PostgresFingerprintIndex.Scope.ALL, 50).stream()
                    .filter(m -> memory.lookup(indexedHashOf(m.recordingId())).stream().anyMatch(p -> p.recordingId().equals(m.recordingId())))
                    .toList();
            assertThat(inPostgres).as("query %d", q).isEqualTo(inMemory);
            if (q < TRACKS) {
                assertThat(inMemory).isNotEmpty();
                List<Matcher.Match> standard = db.withConnection(c ->
                        Matcher.standard().match(query, new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL), 3));
                // first its track (another test may add an mp3 copy of one, which then matches too)
                assertThat(standard).extracting(Matcher.Match::recordingId).first().isEqualTo(sha(q));
            }
        }
        int[] someHashes = Arrays.copyOf(indexed.get(0).hashes(), 5);
        for (int h : someHashes) {
            assertThat(sortedTimes(db.withConnection(c -> new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL).lookup(h))))
                    .isEqualTo(sortedTimes(memory.lookup(h)));
        }
    }

    @Test
    void everyScopedCandidateQueryReadsTheGinIndexEvenInASmallCatalog() {
        UUID account = account();
        asset(account, sha(1));
        int[] query = indexed.get(1).slice(100, 600).hashes();
        for (PostgresFingerprintIndex.Scope scope : List.of(PostgresFingerprintIndex.Scope.ALL,
                PostgresFingerprintIndex.Scope.ALL.ofAccount(account).excluding(sha(2)),
                PostgresFingerprintIndex.Scope.ALL.excluding(sha(3)).framesBetween(1000, 3000))) {
            String plan = db.withConnection(c -> new PostgresFingerprintIndex(c, scope).plan(query));
            assertThat(plan).as("%s:%n%s", scope, plan).contains("Bitmap Index Scan on fingerprint_recordings_hashes");
            // the plan that detoasts every row's hashes once per query hash (seconds instead of milliseconds)
            assertThat(plan.lines().filter(l -> l.contains("Filter:") && l.contains("hashes @>"))).as(plan).isEmpty();
            assertThat(plan).as(plan).doesNotContain("Seq Scan on fingerprint_recordings");
        }
        Boolean seqscan = db.withConnection(c -> {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW enable_seqscan")) {
                rs.next();
                return rs.getString(1).equals("on");
            }
        });
        assertThat(seqscan).as("settings restored on the pooled connection").isTrue();
    }

    @Test
    void indexingARecordingAgainWritesNothingTwice() {
        String rowVersion = "SELECT xmin::text FROM fingerprint_recordings WHERE sha256 = '" + sha(0) + "'";
        String before = db.withConnection(c -> scalar(c, rowVersion));
        boolean written = db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha(0), indexed.get(0)),
                io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        assertThat(written).isFalse();
        String after = db.withConnection(c -> scalar(c, rowVersion));
        assertThat(after).as("the row was not rewritten").isEqualTo(before);
        assertThat(count("SELECT count(*) FROM fingerprint_recordings WHERE sha256 = '" + sha(0) + "'")).isEqualTo(1);
    }

    @Test
    void aRecordingIndexedUnderAnotherFormatIsReplacedAndADeletedOneIsGoneFromLookups() {
        String sha = sha(7000);
        Landmarks first = indexed.get(5).slice(0, 900);
        Landmarks second = indexed.get(6).slice(0, 900);
        db.inTransaction(c -> LandmarkIndexing.index(c, new RecordingLandmarks(sha, "older-format", first.frames(),
                first.hashes(), first.times()), io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        boolean replaced = db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha, second),
                io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        assertThat(replaced).isTrue();
        Optional<Landmarks> stored = db.withConnection(c -> FingerprintRepository.landmarks(c, sha));
        assertThat(stored).get().satisfies(l -> assertThat(l.hashes()).isEqualTo(sortedByTime(second).hashes()));
        assertThat(count("SELECT landmark_count FROM fingerprint_recordings WHERE sha256 = '" + sha + "'")).isEqualTo(second.count());
        assertThat(match(Matcher.standard(), second.slice(100, 500), PostgresFingerprintIndex.Scope.ALL, 3))
                .extracting(Matcher.Match::recordingId).contains(sha);

        db.withConnection(c -> c.createStatement().executeUpdate("DELETE FROM fingerprint_recordings WHERE sha256 = '" + sha + "'"));
        assertThat(match(Matcher.unfiltered(), second.slice(100, 500), PostgresFingerprintIndex.Scope.ALL, 50))
                .extracting(Matcher.Match::recordingId).doesNotContain(sha);
        Optional<Landmarks> gone = db.withConnection(c -> FingerprintRepository.landmarks(c, sha));
        assertThat(gone).isEmpty();
    }

    @Test
    void deletingARecordingTakesItsLandmarksAndItsNearDuplicatePairsWithIt() {
        String copy = sha(6000);
        Landmarks same = indexed.get(6);
        long pairsBefore = count("SELECT count(*) FROM fingerprint_near_duplicates");
        db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(copy, same), io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        String pairsOfCopy = "SELECT count(*) FROM fingerprint_near_duplicates d JOIN fingerprint_recordings r "
                + "ON r.id IN (d.recording_id, d.duplicate_id) WHERE r.sha256 = '" + copy + "'";
        assertThat(count(pairsOfCopy)).as("an identical copy is a near-duplicate both ways").isEqualTo(2);
        assertThat(match(Matcher.standard(), same.slice(200, 630), PostgresFingerprintIndex.Scope.ALL, 10))
                .extracting(Matcher.Match::recordingId).contains(copy, sha(6));

        db.withConnection(c -> c.createStatement().executeUpdate("DELETE FROM fingerprint_recordings WHERE sha256 = '" + copy + "'"));
        assertThat(count("SELECT count(*) FROM fingerprint_near_duplicates")).isEqualTo(pairsBefore);
        assertThat(match(Matcher.unfiltered(), same.slice(200, 630), PostgresFingerprintIndex.Scope.ALL, 50))
                .extracting(Matcher.Match::recordingId).contains(sha(6)).doesNotContain(copy);
        Optional<Landmarks> gone = db.withConnection(c -> FingerprintRepository.landmarks(c, copy));
        assertThat(gone).isEmpty();
    }

    @Test
    void aRecordingWithoutLandmarksIsIndexedOnceAndNeitherMatchesNorBreaksLookups() {
        String silence = sha(9000);
        Landmarks none = Degradations.fingerprint(new float[10 * CatalogSynth.RATE], Map.of());
        assertThat(none.count()).isZero();
        boolean first = db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(silence, none),
                io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        boolean again = db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(silence, none),
                io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        assertThat(first).isTrue();
        assertThat(again).as("indexed once").isFalse();
        Optional<Landmarks> stored = db.withConnection(c -> FingerprintRepository.landmarks(c, silence));
        assertThat(stored).get().satisfies(l -> {
            assertThat(l.count()).isZero();
            assertThat(l.frames()).isEqualTo(none.frames());
        });
        assertThat(count("SELECT count(*) FROM fingerprint_recordings WHERE sha256 = '" + silence + "' AND hashes = '{}' "
                + "AND landmark_count = 0")).isEqualTo(1);
        // silence as the query (identify by an asset that is silent) finds nothing; other queries still find their track
        assertThat(match(Matcher.unfiltered(), none, PostgresFingerprintIndex.Scope.ALL, 10)).isEmpty();
        assertThat(match(Matcher.standard(), indexed.get(2).slice(100, 530), PostgresFingerprintIndex.Scope.ALL, 3))
                .extracting(Matcher.Match::recordingId).first().isEqualTo(sha(2));
        assertThat(count("SELECT count(*) FROM fingerprint_near_duplicates d JOIN fingerprint_recordings r "
                + "ON r.id IN (d.recording_id, d.duplicate_id) WHERE r.sha256 = '" + silence + "'")).isZero();
    }

    @Test
    void aScopedLookupSeesOnlyTheAccountsRecordingsAndNeverTheExcludedOne() {
        UUID mine = account();
        UUID theirs = account();
        UUID myAsset = asset(mine, sha(1));
        asset(mine, sha(2));
        asset(theirs, sha(3));
        Landmarks queryOf3 = indexed.get(3).slice(100, 600);
        Landmarks queryOf1 = indexed.get(1).slice(100, 600);
        PostgresFingerprintIndex.Scope scope = PostgresFingerprintIndex.Scope.ALL.ofAccount(mine);
        assertThat(match(Matcher.unfiltered(), queryOf3, scope, 50))
                .extracting(Matcher.Match::recordingId).doesNotContain(sha(3)).allMatch(s -> s.equals(sha(1)) || s.equals(sha(2)));
        assertThat(match(Matcher.standard(), queryOf1, scope, 3))
                .extracting(Matcher.Match::recordingId).containsExactly(sha(1));
        assertThat(match(Matcher.standard(), queryOf1, scope.excluding(sha(1)), 3))
                .isEmpty();
        Map<String, UUID> assets = db.withConnection(c -> FingerprintRepository.assetsOf(c, mine, List.of(sha(1), sha(3))));
        assertThat(assets)
                .isEqualTo(Map.of(sha(1), myAsset));
        Optional<Landmarks> own = db.withConnection(c -> FingerprintRepository.landmarks(c, sha(1)));
        assertThat(own).get()
                .satisfies(l -> {
                    assertThat(l.hashes()).isEqualTo(sortedByTime(indexed.get(1)).hashes());
                    assertThat(l.frames()).isEqualTo(indexed.get(1).frames());
                });
    }

    @Test
    void anMp3OfAnIndexedTrackIsRecordedAsItsNearDuplicateBothWays() throws Exception {
        Landmarks mp3 = Degradations.fingerprint(Degradations.mp3(audio.get(4), "64k", dir), Map.of());
        String mp3Sha = sha(4000);
        db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(mp3Sha, mp3),
                io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        UUID account = account();
        UUID original = asset(account, sha(4));
        UUID copy = asset(account, mp3Sha);
        UUID other = account();
        asset(other, sha(4));
        assertThat(near(account, mp3Sha))
                .singleElement().satisfies(d -> {
                    assertThat(d.assetId()).isEqualTo(original);
                    assertThat(Math.abs(d.offsetSeconds())).isLessThan(0.25);
                });
        assertThat(near(account, sha(4)))
                .extracting(FingerprintRepository.NearDuplicateAsset::assetId).containsExactly(copy);
        // another account that holds only the original sees no pair: the copy is not its asset
        assertThat(near(other, sha(4))).isEmpty();
        // no other track of the catalog was flagged
        assertThat(count("SELECT count(*) FROM fingerprint_near_duplicates")).isEqualTo(2);
    }

    @Test
    void storagePerThreeMinuteTrack() {
        String sha = sha(180);
        Landmarks l = Degradations.fingerprint(CatalogSynth.track(180, 180), Map.of());
        db.withConnection(c -> c.createStatement().execute("VACUUM ANALYZE fingerprint_recordings"));
        long bytesBefore = relationBytes();
        db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha, l), io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        db.withConnection(c -> c.createStatement().execute("VACUUM ANALYZE fingerprint_recordings"));
        long bytes = relationBytes() - bytesBefore;
        int distinct = PackedLandmarks.pack(l).hashes().length;
        System.out.printf("3-minute track: %d landmarks (%.1f/s, %d distinct hashes), %.0f kB in the row, its TOAST and the GIN index "
                        + "(%.1f bytes per landmark; in this small catalog most of its hashes are new GIN keys)%n",
                l.count(), l.count() / 180.0, distinct, bytes / 1024.0, bytes / (double) l.count());
        Optional<Landmarks> stored = db.withConnection(c -> FingerprintRepository.landmarks(c, sha));
        assertThat(stored).get().satisfies(back -> assertThat(back.count()).isEqualTo(l.count()));
        assertThat(bytes).isPositive();
    }

    /** A hash the in-memory catalog holds for {@code sha}, or 0 (none) for a recording outside it. */
    private static int indexedHashOf(String sha) {
        for (int t = 0; t < TRACKS; t++) if (sha(t).equals(sha)) return indexed.get(t).hashes()[0];
        return 0;
    }

    private static List<Matcher.Match> match(Matcher m, Landmarks q, PostgresFingerprintIndex.Scope scope, int k) {
        return db.withConnection(c -> m.match(q, new PostgresFingerprintIndex(c, scope), k));
    }

    private static List<FingerprintRepository.NearDuplicateAsset> near(UUID account, String sha) {
        return db.withConnection(c -> FingerprintRepository.nearDuplicates(c, account, sha));
    }

    private static long relationBytes() {
        return count("SELECT pg_total_relation_size('fingerprint_recordings')");
    }

    private static Landmarks sortedByTime(Landmarks l) {
        long[] e = new long[l.count()];
        for (int i = 0; i < e.length; i++) e[i] = (long) l.times()[i] << 32 | (l.hashes()[i] & 0xFFFFFFFFL);
        Arrays.sort(e);
        int[] h = new int[e.length];
        int[] t = new int[e.length];
        for (int i = 0; i < e.length; i++) {
            h[i] = (int) e[i];
            t[i] = (int) (e[i] >>> 32);
        }
        return new Landmarks(h, t, l.frames());
    }

    private static List<String> sortedTimes(List<io.tonearm.analysis.fingerprint.Posting> postings) {
        return postings.stream().filter(p -> indexedHashOf(p.recordingId()) != 0)
                .map(p -> p.recordingId() + "@" + p.time()).sorted().toList();
    }

    static String sha(int n) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("track " + n).getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID account() {
        return account(db);
    }

    static UUID account(Database on) {
        UUID id = UUID.randomUUID();
        on.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, name, plan) VALUES (?, ?, 'pro')")) {
                ps.setObject(1, id);
                ps.setString(2, "a" + id);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    static UUID asset(UUID account, String sha) {
        return asset(db, account, sha);
    }

    static UUID asset(Database on, UUID account, String sha) {
        UUID id = UUID.randomUUID();
        on.withConnection(c -> {
            try (PreparedStatement b = c.prepareStatement(
                    "INSERT INTO blobs (sha256, size_bytes, location) VALUES (?, 1, 'x') ON CONFLICT DO NOTHING");
                 PreparedStatement a = c.prepareStatement("""
                         INSERT INTO assets (id, account_id, sha256, method, content_type, file_type, size_bytes, expires_at)
                         VALUES (?, ?, ?, 'upload', 'audio/wav', 'audio', 1, now() + interval '1 day')""")) {
                b.setString(1, sha);
                b.executeUpdate();
                a.setObject(1, id);
                a.setObject(2, account);
                a.setString(3, sha);
                return a.executeUpdate();
            }
        });
        return id;
    }

    private static String scalar(Connection c, String sql) throws java.sql.SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(String sql) {
        return db.withConnection(c -> {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
