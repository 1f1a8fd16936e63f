package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BpmAnalyzerTest {

    static final double[] TEMPI = {60, 70, 75, 80, 85, 90, 100, 120, 128, 140, 160, 170, 174, 180, 200};

    private final BpmAnalyzer analyzer = new BpmAnalyzer();

    /** Within 2 % or 1 BPM, the tolerance MIREX "accuracy 1" uses with 4 %, here stricter. */
    static boolean correct(double estimate, double truth) {
        return Math.abs(estimate - truth) <= Math.max(1, 0.02 * truth);
    }

    static boolean octaveError(double estimate, double truth) {
        for (double f : new double[]{0.5, 2, 1 / 3.0, 3, 2 / 3.0, 1.5}) if (correct(estimate, truth * f)) return true;
        return false;
    }

    @Test
    void drumPatternsAtTheRightTempoAndOctave() {
        List<String> wrong = new ArrayList<>(), octave = new ArrayList<>();
        double worst = 0;
        StringBuilder table = new StringBuilder("bpm on drum patterns (truth -> estimate, confidence)\n");
        for (double bpm : TEMPI) {
            DrumSynth.Pattern p = new DrumSynth((long) bpm).fourFour(bpm, 24, 0.5, 0);
            BpmAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
            table.append(String.format("  %5.0f -> %7.2f  %.2f  %s%n", bpm, r.tempo(), r.confidence(), r.alternatives()));
            worst = Math.max(worst, Math.abs(r.tempo() / bpm - 1));
            if (!correct(r.tempo(), bpm)) (octaveError(r.tempo(), bpm) ? octave : wrong).add(bpm + "->" + r.tempo());
        }
        System.out.print(table);
        System.out.printf("  largest error %.2f %%%n", 100 * worst);
        assertThat(octave).as("octave errors").isEmpty();
        assertThat(wrong).as("other errors").isEmpty();
    }

    @Test
    void swungAndLooselyPlayedPattern() {
        for (double bpm : new double[]{96, 150}) {
            DrumSynth.Pattern p = new DrumSynth(11).fourFour(bpm, 25, 0.66, 0.012);
            BpmAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
            System.out.printf("swung %.0f -> %.2f (%.2f)%n", bpm, r.tempo(), r.confidence());
            assertThat(correct(r.tempo(), bpm)).as("swung %s -> %s", bpm, r.tempo()).isTrue();
        }
    }

    @Test
    void fourOnTheFloorAndSixteenthHiHats() {
        for (double bpm : new double[]{100, 120, 128}) {
            BpmAnalyzer.Result r = Analyze.run(analyzer, new DrumSynth(3).house(bpm, 20), DrumSynth.RATE, 1);
            assertThat(correct(r.tempo(), bpm)).as("house %s -> %s", bpm, r.tempo()).isTrue();
        }
        for (double bpm : new double[]{70, 90, 110}) {
            BpmAnalyzer.Result r = Analyze.run(analyzer, new DrumSynth(3).sixteenths(bpm, 20), DrumSynth.RATE, 1);
            assertThat(correct(r.tempo(), bpm)).as("sixteenth hi-hats %s -> %s", bpm, r.tempo()).isTrue();
        }
    }

    @Test
    void tempoHintSelectsTheOctave() {
        DrumSynth.Pattern p = new DrumSynth(5).fourFour(170, 20, 0.5, 0);
        BpmAnalyzer.Result halved = Analyze.run(analyzer, Map.of("max_bpm", 110), p.audio(), DrumSynth.RATE, 1);
        assertThat(correct(halved.tempo(), 85)).as("170 BPM with max_bpm 110 -> %s", halved.tempo()).isTrue();
        DrumSynth.Pattern slow = new DrumSynth(5).fourFour(80, 20, 0.5, 0);
        BpmAnalyzer.Result doubled = Analyze.run(analyzer, Map.of("min_bpm", 130), slow.audio(), DrumSynth.RATE, 1);
        assertThat(correct(doubled.tempo(), 160)).as("80 BPM with min_bpm 130 -> %s", doubled.tempo()).isTrue();
    }

    @Test
    void alternativesNameTheirRelation() {
        DrumSynth.Pattern p = new DrumSynth(9).fourFour(120, 20, 0.5, 0);
        BpmAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
        assertThat(r.alternatives()).isNotEmpty();
        assertThat(r.alternatives()).anySatisfy(a -> {
            assertThat(a.relation()).isEqualTo("half");
            assertThat(correct(a.tempo(), 60)).isTrue();
        });
        for (BpmAnalyzer.Alternative a : r.alternatives()) assertThat(a.relation()).isEqualTo(BpmAnalyzer.relation(a.tempo() / r.tempo()));
        assertThat(r.confidence()).isBetween(0.5, 1.0);
        com.fasterxml.jackson.databind.JsonNode json = io.tonearm.analysis.Json.mapper().valueToTree(r);
        assertThat(json.get("tempo").asDouble()).isEqualTo(r.tempo());
        assertThat(json.get("confidence").asDouble()).isEqualTo(r.confidence());
        assertThat(json.get("alternatives").get(0).fieldNames()).toIterable().containsExactlyInAnyOrder("tempo", "score", "relation");
    }

    @Test
    void silenceNoiseAndShortClips() {
        BpmAnalyzer.Result silence = Analyze.run(analyzer, new float[5 * DrumSynth.RATE], DrumSynth.RATE, 1);
        assertThat(silence.tempo()).isNull();
        assertThat(silence.confidence()).isZero();

        Random random = new Random(1);
        float[] noise = new float[15 * DrumSynth.RATE];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.3 * random.nextGaussian());
        BpmAnalyzer.Result n = Analyze.run(analyzer, noise, DrumSynth.RATE, 1);
        System.out.printf("white noise -> %s (%.2f)%n", n.tempo(), n.confidence());
        assertThat(n.confidence()).isLessThan(0.3);

        DrumSynth.Pattern clip = new DrumSynth(2).fourFour(120, 2, 0.5, 0);
        BpmAnalyzer.Result c = Analyze.run(analyzer, clip.audio(), DrumSynth.RATE, 1);
        System.out.printf("2 s clip at 120 -> %s (%.2f)%n", c.tempo(), c.confidence());
        assertThat(c.tempo()).isNotNull();

        BpmAnalyzer.Result tiny = Analyze.run(analyzer, new float[DrumSynth.RATE / 10], DrumSynth.RATE, 1);
        assertThat(tiny.tempo()).isNull();
    }

    @Test
    void rejectsAnEmptyRange() {
        assertThat(Analyze.report(List.of(new io.tonearm.analysis.registry.Selection("bpm", analyzer,
                        io.tonearm.analysis.Params.of(analyzer.spec(), Map.of("min_bpm", 150, "max_bpm", 100)))),
                new float[DrumSynth.RATE], DrumSynth.RATE, 1).failures()).isNotEmpty();
    }
}
