package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.InMemoryFingerprintIndex;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The candidate cut-off of {@link PostgresFingerprintIndex}: in a catalog where far more recordings than it reads
 * ({@value #LOOK_ALIKES} against {@link PostgresFingerprintIndex#CANDIDATES}) share hashes with the query, the true
 * recording still wins, with exactly the votes an index of every posting gives it. Its own database: the look-alikes
 * would change what other tests' lookups see.
 */
class FingerprintCandidatesTest {

    private static final int LOOK_ALIKES = 80;
    private static final int INTRUDERS = 2 * PostgresFingerprintIndex.CANDIDATES;
    static Database db;
    static Landmarks track;
    static final InMemoryFingerprintIndex memory = new InMemoryFingerprintIndex();
    static UUID owner;
    static UUID intruder;

    /**
     * Look-alikes first (lower ids, so ties by shared hashes would go their way), all of them the owner's assets: half
     * hold 20–60 % of the track's distinct hashes, half 95 %, each at one random time. Then another account's
     * intruders that hold every hash of the track at random times: they share as many hashes with any excerpt as the
     * track does. Then the track itself.
     */
    @BeforeAll
    static void catalog() {
        String url = LocalStack.shared().postgres().createDatabase("fc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 2);
        owner = PostgresFingerprintIndexTest.account(db);
        intruder = PostgresFingerprintIndexTest.account(db);
        track = Degradations.fingerprint(CatalogSynth.track(4242, 40), Map.of());
        Random rng = new Random(17);
        for (int d = 0; d < LOOK_ALIKES; d++) {
            index(sha(d), scattered(track, d % 2 == 0 ? 0.2 + 0.4 * rng.nextDouble() : 0.95, rng));
            PostgresFingerprintIndexTest.asset(db, owner, sha(d));
        }
        for (int d = LOOK_ALIKES; d < LOOK_ALIKES + INTRUDERS; d++) {
            index(sha(d), scattered(track, 1.0, rng));
            PostgresFingerprintIndexTest.asset(db, intruder, sha(d));
        }
        index(trackSha(), track);
        PostgresFingerprintIndexTest.asset(db, owner, trackSha());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theTrueRecordingWinsAmongMoreSharingRecordingsThanAreRead() {
        Random rng = new Random(5);
        float[] audio = CatalogSynth.track(4242, 40);
        for (int q = 0; q < 4; q++) {
            int start = rng.nextInt(audio.length - 10 * CatalogSynth.RATE);
            float[] excerpt = Arrays.copyOfRange(audio, start, start + 10 * CatalogSynth.RATE);
            Landmarks query = Degradations.fingerprint(Degradations.noisy(excerpt, 20, rng), Map.of());
            assertThat(sharing(query, owner)).as("the owner's recordings sharing hashes with query %d", q)
                    .isGreaterThan(64).isGreaterThan(4 * PostgresFingerprintIndex.CANDIDATES);

            Matcher.Match expected = Matcher.standard().match(query, memory, 1).get(0);
            assertThat(expected.recordingId()).isEqualTo(trackSha());
            assertThat(expected.offsetSeconds()).isCloseTo(start / (double) CatalogSynth.RATE, within(0.1));
            List<Matcher.Match> found = db.withConnection(c -> Matcher.standard().match(query,
                    new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL.ofAccount(owner)), 10));
            assertThat(found).as("query %d", q).containsExactly(expected);
        }
    }

    @Test
    void anotherAccountsLookAlikesDoNotPushTheCallersRecordingOutOfTheCandidates() {
        // the whole track as the query (identify by asset): every intruder shares as many hashes as the track does
        assertThat(sharing(track, intruder)).isEqualTo(INTRUDERS);
        List<Matcher.Match> found = db.withConnection(c -> Matcher.standard().match(track,
                new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL.ofAccount(owner)), 10));
        assertThat(found).containsExactly(Matcher.standard().match(track, memory, 1).get(0));
        List<Matcher.Match> theirs = db.withConnection(c -> Matcher.standard().match(track,
                new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL.ofAccount(intruder)), 10));
        assertThat(theirs).as("scattered times align with nothing").isEmpty();
    }

    /** {@code fraction} of the distinct hashes of {@code l}, each at one random time within its length. */
    private static Landmarks scattered(Landmarks l, double fraction, Random rng) {
        int[] distinct = Arrays.stream(l.hashes()).distinct().filter(h -> rng.nextDouble() < fraction).toArray();
        int[] times = new int[distinct.length];
        for (int i = 0; i < times.length; i++) times[i] = rng.nextInt(l.frames());
        return new Landmarks(distinct, times, l.frames());
    }

    /** The account's recordings holding at least one of the query's (sampled) hashes. */
    private static int sharing(Landmarks query, UUID account) {
        int[] sampled = PostgresFingerprintIndex.sample(Arrays.stream(query.hashes()).distinct().toArray());
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FROM fingerprint_recordings r
                    WHERE r.hashes && ?::integer[] AND EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = r.sha256 AND a.account_id = ?)""")) {
                ps.setArray(1, c.createArrayOf("integer", Arrays.stream(sampled).boxed().toArray()));
                ps.setObject(2, account);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static void index(String sha, Landmarks l) {
        memory.add(sha, l);
        db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha, l), NearDuplicate.STANDARD));
    }

    private static String trackSha() {
        return sha(-1);
    }

    private static String sha(int d) {
        return PostgresFingerprintIndexTest.sha(80_001 + d);
    }
}
