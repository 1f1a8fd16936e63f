package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recall and false matches through the real PostgreSQL index (docs/analysis.md): a catalog of 30 distinct synthetic
 * tracks indexed as the pipeline indexes them; 10 s excerpts exact, as 64 kbps mp3 (bundled ffmpeg), at ±6 dB and
 * with white noise at 20 dB SNR, fingerprinted as the API queries them (the excerpt's own indexing form, one frame
 * grid) and, for comparison, on 4 grids; 10 tracks outside the catalog for false matches.
 */
class FingerprintRecallTest {

    private static final int TRACKS = 30;
    static Database db;
    static final List<float[]> audio = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void catalog() {
        String url = LocalStack.shared().postgres().createDatabase("fr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 2);
        for (int t = 0; t < TRACKS; t++) {
            float[] track = CatalogSynth.track(2000 + t, 30 + (t * 7) % 16);
            audio.add(track);
            Landmarks l = Degradations.fingerprint(track, Map.of());
            String sha = PostgresFingerprintIndexTest.sha(2000 + t);
            db.inTransaction(c -> LandmarkIndexing.index(c, RecordingLandmarks.of(sha, l), io.tonearm.analysis.fingerprint.NearDuplicate.STANDARD));
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private interface Variant {
        float[] apply(float[] x, Random rng) throws Exception;
    }

    @Test
    void recallAndFalseMatchesOnVariants() throws Exception {
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("exact", (x, r) -> x);
        variants.put("mp3 64 kbps", (x, r) -> null); // fingerprinted from the encoded file below
        variants.put("gain +6 dB (clipped)", (x, r) -> Degradations.gain(x, 6));
        variants.put("gain -6 dB", (x, r) -> Degradations.gain(x, -6));
        variants.put("noise 20 dB SNR", (x, r) -> Degradations.noisy(x, 20, r));
        Random rng = new Random(11);
        System.out.printf("%-22s %-8s %8s %8s %8s%n", "variant (10 s)", "grids", "queries", "recall", "false");
        Map<String, double[]> recall = new LinkedHashMap<>();
        for (Map.Entry<String, Variant> v : variants.entrySet()) {
            for (Map<String, String> params : List.of(Map.<String, String>of(), Degradations.QUERY)) {
                int correct = 0, wrong = 0;
                Random local = new Random(rng.nextLong());
                for (int t = 0; t < TRACKS; t++) {
                    float[] track = audio.get(t);
                    int start = local.nextInt(track.length - 10 * CatalogSynth.RATE);
                    float[] excerpt = Arrays.copyOfRange(track, start, start + 10 * CatalogSynth.RATE);
                    Landmarks q = v.getKey().startsWith("mp3")
                            ? Degradations.fingerprint(Degradations.mp3(excerpt, "64k", dir), params)
                            : Degradations.fingerprint(v.getValue().apply(excerpt, local), params);
                    List<Matcher.Match> m = match(q);
                    String truth = PostgresFingerprintIndexTest.sha(2000 + t);
                    double expected = start / (double) CatalogSynth.RATE;
                    if (!m.isEmpty() && m.get(0).recordingId().equals(truth) && Math.abs(m.get(0).offsetSeconds() - expected) <= 0.1) correct++;
                    wrong += (int) m.stream().filter(x -> !x.recordingId().equals(truth)).count();
                }
                String grids = params.isEmpty() ? "1" : "4";
                System.out.printf("%-22s %-8s %8d %7.1f%% %8d%n", v.getKey(), grids, TRACKS, 100.0 * correct / TRACKS, wrong);
                recall.put(v.getKey() + " " + grids, new double[]{correct / (double) TRACKS, wrong});
            }
        }
        int falseMatches = 0;
        for (int seed = 9000; seed < 9010; seed++) {
            float[] unknown = Arrays.copyOf(CatalogSynth.track(seed, 20), 10 * CatalogSynth.RATE);
            falseMatches += match(Degradations.fingerprint(unknown, Map.of())).size();
            falseMatches += match(Degradations.fingerprint(Degradations.noisy(unknown, 20, rng), Degradations.QUERY)).size();
        }
        System.out.printf("tracks outside the catalog: 20 queries, %d false matches%n", falseMatches);
        assertThat(falseMatches).isZero();
        recall.forEach((k, r) -> {
            assertThat(r[1]).as("false matches, %s", k).isZero();
            assertThat(r[0]).as("recall, %s", k).isGreaterThanOrEqualTo(0.9);
        });
    }

    private static List<Matcher.Match> match(Landmarks q) {
        return db.withConnection(c -> Matcher.standard().match(q, new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL), 3));
    }
}
