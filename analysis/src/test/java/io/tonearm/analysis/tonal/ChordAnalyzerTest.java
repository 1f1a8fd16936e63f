package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.tonal.ProgressionSynth.Chord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChordAnalyzerTest {

    private final ChordAnalyzer analyzer = new ChordAnalyzer();

    private static Chord maj(String root, double seconds) {
        return new Chord(PitchClass.parse(root), false, seconds);
    }

    private static Chord min(String root, double seconds) {
        return new Chord(PitchClass.parse(root), true, seconds);
    }

    /** Progressions in several keys, major and minor chords on all 12 roots, uneven durations, two silent gaps. */
    static final List<Chord> PROGRESSION = List.of(
            maj("C", 2.0), min("A", 2.5), maj("F", 1.5), maj("G", 2.0), min("E", 1.8), Chord.rest(2.0),
            maj("D", 2.2), min("B", 2.4), maj("G", 1.6), maj("A", 2.0), min("F#", 2.0),
            maj("Eb", 2.3), min("C", 1.7), maj("Ab", 2.1), maj("Bb", 1.9), Chord.rest(1.5),
            maj("E", 2.0), min("C#", 2.2), maj("B", 1.8), min("F", 2.0), min("Bb", 2.0), maj("F#", 1.7),
            min("G#", 1.9), maj("C#", 2.1), min("D", 1.6), min("G", 2.0), min("Eb", 1.8));

    /** MIREX "majmin" weighted overlap on a 10 ms grid: the share of time whose estimated label equals the truth. */
    static double majminAccuracy(List<Chord> truth, List<ChordsResult.Segment> estimate) {
        double total = truth.stream().mapToDouble(Chord::seconds).sum();
        int steps = (int) Math.floor(total / 0.01), correct = 0;
        for (int i = 0; i < steps; i++) {
            double t = (i + 0.5) * 0.01;
            if (sameChord(truthAt(truth, t), estimateAt(estimate, t))) correct++;
        }
        return correct / (double) steps;
    }

    static boolean sameChord(String a, String b) {
        if (a == null || b == null) return false;
        if (a.equals("N") || b.equals("N")) return a.equals(b);
        String[] x = a.split(":"), y = b.split(":");
        return PitchClass.parse(x[0]) == PitchClass.parse(y[0]) && x[1].equals(y[1]);
    }

    static String truthAt(List<Chord> chords, double t) {
        double at = 0;
        for (Chord c : chords) {
            if (t < at + c.seconds()) return c.label();
            at += c.seconds();
        }
        return null;
    }

    static String estimateAt(List<ChordsResult.Segment> segments, double t) {
        for (ChordsResult.Segment s : segments) if (t >= s.start() && t < s.end()) return s.label();
        return null;
    }

    /** Seconds from each true boundary to the nearest estimated one. */
    static List<Double> boundaryErrors(List<Chord> truth, List<ChordsResult.Segment> estimate) {
        List<Double> out = new ArrayList<>();
        for (double b : ProgressionSynth.boundaries(truth)) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 1; i < estimate.size(); i++) best = Math.min(best, Math.abs(estimate.get(i).start() - b));
            out.add(best);
        }
        return out;
    }

    @Test
    void recognizesRenderedProgressionsFrameByFrame() {
        float[] audio = ProgressionSynth.render(PROGRESSION, 440);
        ChordsResult r = Analyze.run(analyzer, audio, ProgressionSynth.RATE, 1);
        double accuracy = majminAccuracy(PROGRESSION, r.chords());
        List<Double> errors = boundaryErrors(PROGRESSION, r.chords());
        long within = errors.stream().filter(e -> e <= 0.3).count();
        System.out.printf("chords: majmin accuracy %.3f; %d of %d boundaries within 0.3 s (mean error %.3f s); %d segments for %d chords%n",
                accuracy, within, errors.size(), errors.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                r.chords().size(), PROGRESSION.size());
        r.chords().forEach(s -> System.out.println("  " + s));
        assertThat(accuracy).isGreaterThanOrEqualTo(0.85);
        assertThat(within).isGreaterThanOrEqualTo(Math.round(0.9 * errors.size()));
        assertThat(r.chords().size()).isLessThanOrEqualTo(PROGRESSION.size() + 5);
    }

    @Test
    void recognizesADetunedProgressionUnderNoiseAndDrums() {
        float[] clean = ProgressionSynth.render(PROGRESSION, 432);
        double rms = 0;
        for (float x : clean) rms += x * x;
        rms = Math.sqrt(rms / clean.length);
        Random random = new Random(11);
        float[] noisy = clean.clone();
        for (int i = 0; i < noisy.length; i++) noisy[i] += (float) (rms * random.nextGaussian());    // white noise, 0 dB SNR
        float[] drums = clean.clone();
        for (int i = 0; i < drums.length; i++) {                                                     // noise bursts every 0.5 s
            double t = (i % (ProgressionSynth.RATE / 2)) / (double) ProgressionSynth.RATE;
            drums[i] += (float) (3 * rms * Math.exp(-t / 0.05) * random.nextGaussian());
        }
        double noiseAccuracy = majminAccuracy(PROGRESSION, Analyze.run(analyzer, noisy, ProgressionSynth.RATE, 1).chords());
        double drumAccuracy = majminAccuracy(PROGRESSION, Analyze.run(analyzer, drums, ProgressionSynth.RATE, 1).chords());
        System.out.printf("chords at A4=432 Hz: majmin %.3f with white noise at 0 dB SNR, %.3f with noise-burst drums%n",
                noiseAccuracy, drumAccuracy);
        assertThat(noiseAccuracy).isGreaterThanOrEqualTo(0.85);
        assertThat(drumAccuracy).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void recognizesChordsUnderALoudMelodyWithNonChordTones() {
        float[] audio = ProgressionSynth.render(PROGRESSION, 440, 0.5);      // brighter timbre: harmonics 1/sqrt(k)
        Random random = new Random(4);
        int step = ProgressionSynth.RATE / 4;                                 // a note every 0.25 s, any of the 12 pitch classes
        for (int start = 0; start + step <= audio.length; start += step) {
            double f = ProgressionSynth.midiHz(67 + random.nextInt(12), 440);
            for (int h = 1; h <= 6; h++) {
                double phase = random.nextDouble() * 2 * Math.PI;
                for (int i = 0; i < step; i++) {
                    double env = Math.exp(-i / (0.3 * ProgressionSynth.RATE)) * Math.min(1, i / 200.0) * Math.min(1, (step - i) / 200.0);
                    audio[start + i] += (float) (0.12 / h * env * Math.sin(2 * Math.PI * f * h * i / ProgressionSynth.RATE + phase));
                }
            }
        }
        ChordsResult r = Analyze.run(analyzer, audio, ProgressionSynth.RATE, 1);
        double accuracy = majminAccuracy(PROGRESSION, r.chords());
        System.out.printf("chords under a loud random melody: majmin %.3f, %d segments for %d chords%n", accuracy, r.chords().size(), PROGRESSION.size());
        assertThat(accuracy).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void segmentsCoverTheRecordingAndTheSummaryRanksByDuration() throws Exception {
        List<Chord> song = List.of(maj("C", 3), maj("G", 3), min("A", 3), maj("F", 3), maj("C", 3), maj("G", 3), maj("F", 1.5));
        ChordsResult r = Analyze.run(analyzer, ProgressionSynth.render(song, 440), ProgressionSynth.RATE, 1);
        assertThat(r.chords().get(0).start()).isZero();
        assertThat(r.chords().get(r.chords().size() - 1).end()).isCloseTo(19.5, org.assertj.core.data.Offset.offset(0.01));
        for (int i = 1; i < r.chords().size(); i++) {
            assertThat(r.chords().get(i).start()).isEqualTo(r.chords().get(i - 1).end());
            assertThat(r.chords().get(i).label()).isNotEqualTo(r.chords().get(i - 1).label());
        }
        assertThat(r.summary()).extracting(ChordsResult.Usage::label).startsWith("C:maj", "G:maj");
        assertThat(r.summary().get(0).duration()).isCloseTo(6, org.assertj.core.data.Offset.offset(0.4));
        assertThat(r.summary().get(0).segments()).isEqualTo(2);
        assertThat(r.summary()).extracting(ChordsResult.Usage::label).doesNotContain("N");
        String json = Json.mapper().writeValueAsString(r);
        assertThat(json).contains("\"chords\":[{\"start\":0.0,\"end\":", "\"label\":\"C:maj\"", "\"summary\":[{\"label\":\"C:maj\",\"duration\":");
    }

    @Test
    void silenceIsNoChordAndNoiseIsMostlyNoChord() {
        ChordsResult silent = Analyze.run(analyzer, new float[ProgressionSynth.RATE * 4], ProgressionSynth.RATE, 1);
        assertThat(silent.chords()).extracting(ChordsResult.Segment::label).containsExactly("N");
        assertThat(silent.summary()).isEmpty();

        Random random = new Random(5);
        float[] noise = new float[ProgressionSynth.RATE * 10];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.2 * random.nextGaussian());
        ChordsResult r = Analyze.run(analyzer, noise, ProgressionSynth.RATE, 1);
        double noChord = r.chords().stream().filter(s -> s.label().equals("N")).mapToDouble(s -> s.end() - s.start()).sum();
        System.out.printf("white noise: %.1f of 10 s labelled N, %d segments%n", noChord, r.chords().size());
        assertThat(noChord).isGreaterThan(8.0);
    }

    @Test
    void emptyInputGivesNoSegments() {
        ChordsResult r = Analyze.run(analyzer, new float[0], ProgressionSynth.RATE, 1);
        assertThat(r.chords()).isEmpty();
    }
}
