package io.tonearm.analysis.fingerprint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identification on a synthetic catalog of 20 distinct 30–45 s tracks: excerpts of 5 and 10 s, exact and degraded
 * (64 kbps mp3 through the real encoder and decoder, −12 dB, +6 dB clipped, white noise at 10 dB SNR), must find
 * their track at the right offset; tracks outside the catalog, noise and silence must find nothing.
 */
class FingerprintMatchTest {

    /** The current format, which the pipeline indexes. */
    @Nested
    class Version2 extends Catalog {
        Version2() {
            super(LandmarkFormat.V2);
        }
    }

    /** Recordings indexed before version 2 stay indexed in version 1 and are queried in it. */
    @Nested
    class Version1 extends Catalog {
        Version1() {
            super(LandmarkFormat.V1);
        }
    }

    /** One index holds both formats while recordings indexed in v1 remain: a query aligns only with its own format. */
    @Test
    void aQueryOfOneFormatNeverAlignsWithRecordingsOfTheOther() {
        float[] track = CatalogSynth.track(21, 30);
        float[] excerpt = Arrays.copyOfRange(track, 7 * CatalogSynth.RATE, 17 * CatalogSynth.RATE);
        InMemoryFingerprintIndex both = new InMemoryFingerprintIndex();
        both.add("v1", Degradations.fingerprint(LandmarkFormat.V1, track, Map.of()));
        both.add("v2", Degradations.fingerprint(LandmarkFormat.V2, track, Map.of()));
        for (LandmarkFormat f : LandmarkFormat.values()) {
            List<Matcher.Match> all = Matcher.unfiltered().match(Degradations.fingerprint(f, excerpt, Degradations.QUERY), both, 5);
            assertThat(all).as(f.id()).extracting(Matcher.Match::recordingId).containsExactly(f == LandmarkFormat.V1 ? "v1" : "v2");
            assertThat(all.get(0).offsetSeconds()).isCloseTo(7.0, org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Catalog {

        private static final int TRACKS = 20;
        /** Queries are analysed on 4 frame grids; indexed recordings on one. */
        private static final Map<String, String> QUERY = Degradations.QUERY;
        private final LandmarkFormat format;
        private final List<float[]> audio = new ArrayList<>();
        private final List<Landmarks> landmarks = new ArrayList<>();
        private final InMemoryFingerprintIndex index = new InMemoryFingerprintIndex();

        @TempDir
        Path dir;

        Catalog(LandmarkFormat format) {
            this.format = format;
        }

        @BeforeAll
        void catalog() {
            for (int t = 0; t < TRACKS; t++) {
                float[] track = CatalogSynth.track(t + 1, 30 + (t * 7) % 16);
                Landmarks l = fingerprint(track, Map.of());
                audio.add(track);
                landmarks.add(l);
                index.add(id(t), l);
            }
        }

        private interface Variant {
            Landmarks apply(float[] excerpt, Random rng) throws Exception;
        }

        private Map<String, Variant> variants() {
            Map<String, Variant> v = new LinkedHashMap<>();
            v.put("exact", (x, rng) -> fingerprint(x, QUERY));
            v.put("mp3 64k", (x, rng) -> fingerprintMp3(x, QUERY));
            v.put("gain -12 dB", (x, rng) -> fingerprint(gain(x, -12), QUERY));
            v.put("gain +6 dB clipped", (x, rng) -> fingerprint(gain(x, 6), QUERY));
            v.put("noise 10 dB SNR", (x, rng) -> fingerprint(noisy(x, 10, rng), QUERY));
            return v;
        }

        @Test
        void excerptsAndTheirDegradedCopiesFindTheirTrackAtTheRightOffset() throws Exception {
            Random rng = new Random(42);
            Map<String, int[]> tally = new LinkedHashMap<>(); // variant → {queries, correct, false matches, worst offset error ms, min score}
            Map<String, Double> minConfidence = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (int t = 0; t < TRACKS; t++) {
                for (double seconds : new double[]{5, 10}) {
                    float[] track = audio.get(t);
                    int length = (int) (seconds * CatalogSynth.RATE);
                    int start = rng.nextInt(track.length - length);
                    float[] excerpt = Arrays.copyOfRange(track, start, start + length);
                    double expected = start / (double) CatalogSynth.RATE;
                    for (Map.Entry<String, Variant> v : variants().entrySet()) {
                        List<Matcher.Match> matches = Matcher.standard().match(v.getValue().apply(excerpt, rng), index, 3);
                        String name = v.getKey() + " " + (int) seconds + " s";
                        int[] row = tally.computeIfAbsent(name, k -> new int[]{0, 0, 0, 0, Integer.MAX_VALUE});
                        row[0]++;
                        boolean correct = !matches.isEmpty() && matches.get(0).recordingId().equals(id(t));
                        if (correct) {
                            int errorMs = (int) Math.round(Math.abs(matches.get(0).offsetSeconds() - expected) * 1000);
                            row[3] = Math.max(row[3], errorMs);
                            if (errorMs <= 100) row[1]++;
                            row[4] = Math.min(row[4], matches.get(0).score());
                            minConfidence.merge(name, matches.get(0).confidence(), Math::min);
                        } else {
                            failures.add("missed: " + name + " of " + id(t) + " @" + expected + ": " + matches);
                        }
                        String truth = id(t);
                        List<Matcher.Match> wrong = matches.stream().filter(m -> !m.recordingId().equals(truth)).toList();
                        row[2] += wrong.size();
                        if (!wrong.isEmpty()) failures.add("false match: " + name + " of " + truth + ": " + matches);
                    }
                }
            }
            System.out.printf("%-28s %8s %8s %8s %14s %10s %15s%n", "variant", "queries", "recall", "false", "max |Δoffset|",
                    "min score", "min confidence");
            tally.forEach((k, r) -> System.out.printf("%-28s %8d %7.1f%% %8d %11d ms %10d %15.3f%n", k, r[0], 100.0 * r[1] / r[0], r[2], r[3],
                    r[4], minConfidence.getOrDefault(k, 0.0)));
            failures.forEach(System.out::println);
            tally.forEach((k, r) -> {
                assertThat(r[2]).as("false matches for %s", k).isZero();
                double minRecall = k.startsWith("noise") ? 0.9 : 1.0;
                assertThat(r[1] / (double) r[0]).as("recall for %s", k).isGreaterThanOrEqualTo(minRecall);
            });
        }

        @Test
        void recordingsOutsideTheCatalogNoiseAndSilenceMatchNothing() throws Exception {
            Random rng = new Random(7);
            List<String> wrong = new ArrayList<>();
            int maxChanceScore = 0;
            double maxChanceConfidence = 0;
            for (int seed = 1001; seed <= 1010; seed++) {
                float[] unknown = CatalogSynth.track(seed, 20);
                for (Variant v : List.<Variant>of((x, r) -> fingerprint(x, QUERY), (x, r) -> fingerprint(noisy(x, 10, r), QUERY))) {
                    Landmarks q = v.apply(unknown, rng);
                    maxChanceScore = Math.max(maxChanceScore, bestScore(q));
                    maxChanceConfidence = Math.max(maxChanceConfidence, bestConfidence(q));
                    List<Matcher.Match> m = Matcher.standard().match(q, index, 3);
                    if (!m.isEmpty()) wrong.add("unknown track " + seed + ": " + m);
                }
            }
            float[] noise = new float[30 * CatalogSynth.RATE];
            for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.1 * rng.nextGaussian());
            Landmarks noiseQuery = fingerprint(noise, QUERY);
            maxChanceScore = Math.max(maxChanceScore, bestScore(noiseQuery));
            maxChanceConfidence = Math.max(maxChanceConfidence, bestConfidence(noiseQuery));
            if (!Matcher.standard().match(noiseQuery, index, 3).isEmpty()) wrong.add("noise");
            Landmarks silence = fingerprint(new float[10 * CatalogSynth.RATE], QUERY);
            System.out.printf("best chance score (unknown tracks, noise): %d, best chance confidence %.4f; noise query %d landmarks; "
                    + "silence %d landmarks%n", maxChanceScore, maxChanceConfidence, noiseQuery.count(), silence.count());
            assertThat(silence.count()).isZero();
            assertThat(Matcher.standard().match(silence, index, 3)).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(maxChanceConfidence).as("chance alignments stay well below the threshold")
                    .isLessThan(Matcher.DEFAULT_MIN_CONFIDENCE);
        }

        @Test
        void aFullTrackReencodedAsMp3IsANearDuplicateAndAnotherTrackIsNot() throws Exception {
            for (int t : new int[]{0, 7}) {
                Landmarks mp3 = fingerprintMp3(audio.get(t), Map.of()); // as ingest fingerprints it, for the index
                NearDuplicate.Verdict same = NearDuplicate.STANDARD.compare(mp3, landmarks.get(t));
                NearDuplicate.Verdict other = NearDuplicate.STANDARD.compare(mp3, landmarks.get(t + 1));
                System.out.printf("track %d: mp3 vs original %s; vs another track %s%n", t, same, other);
                assertThat(same.duplicate()).isTrue();
                assertThat(other.duplicate()).isFalse();
                // on ingest the same judgement comes out of the catalog index
                Matcher.Match top = Matcher.standard().match(mp3, index, 1).get(0);
                assertThat(top.recordingId()).isEqualTo(id(t));
                assertThat(NearDuplicate.STANDARD.judge(top, mp3.count(), mp3.durationSeconds(),
                        landmarks.get(t).count(), landmarks.get(t).durationSeconds()).duplicate()).isTrue();
            }
            // an excerpt of a track is not a duplicate of it
            Landmarks excerpt = landmarks.get(3).slice(200, 800);
            assertThat(NearDuplicate.STANDARD.compare(excerpt, landmarks.get(3)).duplicate()).isFalse();
        }

        private double bestConfidence(Landmarks query) {
            List<Matcher.Match> m = Matcher.unfiltered().match(query, index, 1);
            return m.isEmpty() ? 0 : m.get(0).confidence();
        }

        private int bestScore(Landmarks query) {
            List<Matcher.Match> m = Matcher.unfiltered().match(query, index, 1);
            return m.isEmpty() ? 0 : m.get(0).score();
        }

        Landmarks fingerprint(float[] mono, Map<String, String> params) {
            return Degradations.fingerprint(format, mono, params);
        }

        private Landmarks fingerprintMp3(float[] mono, Map<String, String> params) throws Exception {
            return Degradations.fingerprint(format, Degradations.mp3(mono, "64k", dir), params);
        }

        private static float[] gain(float[] x, double db) {
            return Degradations.gain(x, db);
        }

        private static float[] noisy(float[] x, double snrDb, Random rng) {
            return Degradations.noisy(x, snrDb, rng);
        }

        private static String id(int track) {
            return "track-" + track;
        }
    }
}
