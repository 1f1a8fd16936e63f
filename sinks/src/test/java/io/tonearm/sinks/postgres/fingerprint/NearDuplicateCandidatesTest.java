package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near-duplicate check's own lookup ({@link PostgresFingerprintIndex#nearDuplicateCandidates}) reads only
 * recordings that share enough of a small sample of the query's hashes to be copies. Shown here: every degraded
 * copy that {@link NearDuplicate#compare} accepts (which matches the two recordings' full landmarks in memory) is
 * paired through the index, and every copy it rejects is not, over copies chosen around the rule's minimum ratio;
 * and a recording that shares hashes with the query only by chance, which the identify lookup does read, is not read.
 * Its own database: the copies would pair with other tests' recordings.
 */
class NearDuplicateCandidatesTest {

    private static final int SECONDS = 180;
    static Database db;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        String url = LocalStack.shared().postgres().createDatabase("nd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 2);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** A copy, its judgement by the full in-memory comparison, and whether the index paired it with its original. */
    private record Copy(String name, NearDuplicate.Verdict inMemory, boolean paired) {
    }

    @Test
    void theIndexPairsExactlyTheCopiesTheFullComparisonAccepts() throws Exception {
        List<Copy> copies = new ArrayList<>();
        // seeds and degradations whose ratios fall on both sides of the rule's 0.15 (0.06-0.56 on these tracks)
        for (long seed = 1; seed <= 3; seed++) {
            float[] audio = CatalogSynth.track(seed, SECONDS);
            Landmarks original = Degradations.fingerprint(audio, Map.of());
            String originalSha = sha("o" + seed);
            index(originalSha, original);
            Random rng = new Random(seed);
            for (double snr : new double[]{10, 5, 0, -3}) {
                copies.add(copy(seed + " noise " + snr + " dB", Degradations.fingerprint(Degradations.noisy(audio, snr, rng), Map.of()),
                        original, originalSha));
            }
            for (String bitrate : new String[]{"64k", "16k", "8k"}) {
                copies.add(copy(seed + " mp3 " + bitrate, Degradations.fingerprint(Degradations.mp3(audio, bitrate, dir), Map.of()),
                        original, originalSha));
            }
        }
        copies.forEach(c -> System.out.printf("near-duplicate candidates: %-16s ratio %.3f in memory %-5b paired %b%n",
                c.name(), c.inMemory().ratio(), c.inMemory().duplicate(), c.paired()));
        assertThat(copies).allSatisfy(c -> assertThat(c.paired()).as(c.name() + " (ratio " + c.inMemory().ratio() + ")")
                .isEqualTo(c.inMemory().duplicate()));
        assertThat(copies).as("accepted copies close to the minimum ratio")
                .anySatisfy(c -> assertThat(c.inMemory().duplicate() && c.inMemory().ratio() < 0.2).isTrue());
        assertThat(copies).as("rejected copies").anySatisfy(c -> assertThat(c.inMemory().duplicate()).isFalse());
    }

    @Test
    void aRecordingSharingHashesByChanceIsReadByIdentifyButNotByTheNearDuplicateCheck() {
        Landmarks indexed = Degradations.fingerprint(CatalogSynth.track(71, SECONDS), Map.of());
        String indexedSha = sha("chance");
        index(indexedSha, indexed);
        UUID account = PostgresFingerprintIndexTest.account(db);
        PostgresFingerprintIndexTest.asset(db, account, indexedSha);
        Landmarks query = Degradations.fingerprint(CatalogSynth.track(72, SECONDS), Map.of());
        // the account holds only that recording: the other test's copies stay out whatever runs first
        PostgresFingerprintIndex.Scope scope = PostgresFingerprintIndex.Scope.ALL.ofAccount(account)
                .framesBetween(query.frames() - 50, query.frames() + 50);
        Map<Integer, ?> identify = db.withConnection(c -> new PostgresFingerprintIndex(c, scope).lookupAll(query.hashes()));
        Map<Integer, ?> nearDuplicate = db.withConnection(c -> PostgresFingerprintIndex
                .nearDuplicateCandidates(c, scope, NearDuplicate.STANDARD).lookupAll(query.hashes()));
        assertThat(identify).as("the tracks share some hashes by chance").isNotEmpty();
        assertThat(nearDuplicate).isEmpty();
    }

    private static Copy copy(String name, Landmarks copy, Landmarks original, String originalSha) {
        String copySha = sha(name);
        index(copySha, copy);
        return new Copy(name, NearDuplicate.STANDARD.compare(copy, original), paired(copySha, originalSha));
    }

    private static void index(String sha, Landmarks l) {
        db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha, l), NearDuplicate.STANDARD));
    }

    private static boolean paired(String copySha, String originalSha) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FROM fingerprint_near_duplicates d
                    JOIN fingerprint_recordings a ON a.id = d.recording_id JOIN fingerprint_recordings b ON b.id = d.duplicate_id
                    WHERE a.sha256 = ? AND b.sha256 = ?""")) {
                ps.setString(1, copySha);
                ps.setString(2, originalSha);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
    }

    /** The sha256 of {@code name}: a recording id per copy. */
    private static String sha(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
