package io.tonearm.analysis.fingerprint;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FingerprintAnalyzerTest {

    private static final FingerprintAnalyzer ANALYZER = new FingerprintAnalyzer();

    @Test
    void theSameInputGivesTheSameHashes() {
        float[] track = CatalogSynth.track(5, 20);
        FingerprintAnalyzer.Result a = Analyze.run(ANALYZER, track, CatalogSynth.RATE, 1);
        FingerprintAnalyzer.Result b = Analyze.run(ANALYZER, track.clone(), CatalogSynth.RATE, 1);
        assertThat(a.hashCount()).isGreaterThan(500);
        assertThat(a.landmarks()).isEqualTo(b.landmarks());
        Landmarks l = a.landmarks().unpack();
        assertThat(l.times()).isSorted();
        assertThat(l.count()).isEqualTo(a.hashCount());
        assertThat(a.frameRate()).isEqualTo(Landmarks.FRAME_RATE);
        assertThat(a.durationSeconds()).isCloseTo(20, org.assertj.core.data.Offset.offset(0.05));
        System.out.printf("20 s track: %d landmarks, %.1f per second, packed %d characters%n",
                a.hashCount(), a.hashesPerSecond(), a.landmarks().hashes().length() + a.landmarks().times().length());
    }

    @Test
    void theResultSerializesWithTheContractedNamesAndUnpacksToTheSameLandmarks() throws Exception {
        FingerprintAnalyzer.Result r = Analyze.run(ANALYZER, CatalogSynth.track(9, 8), CatalogSynth.RATE, 1);
        String json = Json.mapper().writeValueAsString(r);
        assertThat(json).contains("\"hash_count\"", "\"hashes_per_second\"", "\"frame_rate\"", "\"landmarks\"",
                "\"format\":\"wang-landmarks-v2\"");
        Landmarks.Packed back = Json.mapper().readValue(Json.mapper().readTree(json).get("landmarks").toString(), Landmarks.Packed.class);
        Landmarks l = back.unpack();
        assertThat(l.hashes()).isEqualTo(r.landmarks().unpack().hashes());
        assertThat(l.times()).isEqualTo(r.landmarks().unpack().times());
        assertThatThrownBy(() -> new Landmarks.Packed("wang-landmarks-v0", 0, 0, "", "").unpack())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashFieldsRoundTripAndStayInTwentyBits() {
        for (int f1 : new int[]{1, 100, 255}) {
            for (int df : new int[]{-31, -1, 0, 1, 31}) {
                for (int dt : new int[]{1, 30, 63}) {
                    int h = LandmarkHash.of(f1, df, dt);
                    assertThat(h >>> 20).isZero();
                    assertThat(List.of(LandmarkHash.f1(h), LandmarkHash.df(h), LandmarkHash.dt(h))).containsExactly(f1, df, dt);
                }
            }
        }
        assertThatThrownBy(() -> LandmarkHash.of(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LandmarkHash.of(1, 32, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachFormatMarksItsHashesSoThatFormatsNeverCollide() {
        float[] track = CatalogSynth.track(5, 10);
        for (LandmarkFormat f : LandmarkFormat.values()) {
            FingerprintAnalyzer analyzer = new FingerprintAnalyzer(f);
            assertThat(analyzer.spec().version()).isEqualTo(f.analyzerVersion());
            FingerprintAnalyzer.Result r = Analyze.run(analyzer, track, CatalogSynth.RATE, 1);
            assertThat(r.landmarks().format()).isEqualTo(f.id());
            Landmarks l = r.landmarks().unpack();
            assertThat(l.count()).isGreaterThan(100);
            assertThat(java.util.Arrays.stream(l.hashes())).allMatch(h -> h >>> 20 == f.ordinal());
            assertThat(LandmarkFormat.of(l)).isEqualTo(f);
            assertThat(LandmarkFormat.byId(f.id())).isEqualTo(f);
        }
        assertThat(LandmarkFormat.CURRENT.analyzerVersion()).isEqualTo(ANALYZER.spec().version());
        assertThatThrownBy(() -> LandmarkFormat.byId("wang-landmarks-v9")).hasMessageContaining("unsupported landmark format");
        assertThatThrownBy(() -> LandmarkFormat.of(new Landmarks(new int[]{7 << 20}, new int[]{0}, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUnionOfGridsDropsALandmarkSeenAgainOneFrameLater() {
        Landmarks a = new Landmarks(new int[]{7, 9}, new int[]{10, 20}, 100);
        Landmarks b = new Landmarks(new int[]{7, 9, 7}, new int[]{11, 25, 40}, 100);
        Landmarks u = Landmarks.union(List.of(a, b));
        assertThat(u.times()).containsExactly(10, 20, 25, 40);
        assertThat(u.hashes()).containsExactly(7, 9, 9, 7);
    }

    @Test
    void analysingFourGridsFindsAtLeastTheLandmarksOfOne() {
        float[] track = CatalogSynth.track(3, 10);
        Landmarks one = Analyze.run(ANALYZER, track, CatalogSynth.RATE, 1).landmarks().unpack();
        Landmarks four = Analyze.run(ANALYZER, Map.of("shifts", "4"), track, CatalogSynth.RATE, 1).landmarks().unpack();
        assertThat(four.count()).isBetween(one.count(), 4 * one.count());
        assertThat(four.frames()).isEqualTo(one.frames());
    }

    /** Cost, printed (not asserted): CPU time of the analyzer alone on 3 minutes of audio. */
    @Test
    void costOnThreeMinutes() {
        float[] track = CatalogSynth.track(11, 180);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Analyze.run(ANALYZER, CatalogSynth.track(12, 10), CatalogSynth.RATE, 1); // warm-up
        for (String shifts : List.of("1", "4")) {
            long cpu = bean.getCurrentThreadCpuTime();
            FingerprintAnalyzer.Result r = Analyze.run(ANALYZER, Map.of("shifts", shifts), track, CatalogSynth.RATE, 1);
            double seconds = (bean.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("fingerprint shifts=%s: 180 s in %.3f s CPU (%.0f× realtime, including the STFT), %.1f hashes/s%n",
                    shifts, seconds, 180 / seconds, r.hashesPerSecond());
            assertThat(r.hashCount()).isPositive();
        }
    }
}
