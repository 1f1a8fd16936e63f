package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OnsetsAnalyzerTest {

    private final OnsetsAnalyzer analyzer = new OnsetsAnalyzer();

    @Test
    void findsSynthesizedNotesAndClicks() {
        DrumSynth synth = new DrumSynth(7);
        float[] audio = new float[20 * DrumSynth.RATE];
        List<Double> truth = new ArrayList<>();
        double t = 0.4;
        while (t < 19.5) {
            truth.add(t);
            double r = synth.random().nextDouble();
            if (r < 0.4) synth.note(audio, t, 110 * Math.pow(2, synth.random().nextInt(36) / 12.0), 0.5 + 0.5 * synth.random().nextDouble());
            else if (r < 0.7) synth.click(audio, t, 0.3 + 0.5 * synth.random().nextDouble());
            else if (r < 0.85) synth.kick(audio, t, 0.8);
            else synth.snare(audio, t, 0.6);
            t += 0.12 + 0.5 * synth.random().nextDouble();
        }
        OnsetsAnalyzer.Result result = Analyze.run(analyzer, audio, DrumSynth.RATE, 1);
        double f = EventScores.fMeasure(truth, result.onsets(), 0.05);
        System.out.printf("onsets: %d true, %d found, F(50 ms) = %.3f, mean offset %.1f ms%n", truth.size(), result.count(), f,
                1000 * EventScores.meanOffset(truth, result.onsets(), 0.05));
        assertThat(f).isGreaterThanOrEqualTo(0.9);
        assertThat(result.count()).isEqualTo(result.onsets().size());
        assertThat(result.rate()).isCloseTo(result.count() / 20.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void lowerThresholdFindsAtLeastAsMany() {
        DrumSynth synth = new DrumSynth(3);
        float[] audio = synth.fourFour(120, 10, 0.5, 0).audio();
        int strict = Analyze.run(analyzer, Map.of("threshold", 0.3), audio, DrumSynth.RATE, 1).count();
        int loose = Analyze.run(analyzer, Map.of("threshold", 0.02), audio, DrumSynth.RATE, 1).count();
        assertThat(loose).isGreaterThan(strict);
    }

    @Test
    void shortClipAndNoise() {
        DrumSynth.Pattern clip = new DrumSynth(2).fourFour(120, 2, 0.5, 0);
        OnsetsAnalyzer.Result r = Analyze.run(analyzer, clip.audio(), DrumSynth.RATE, 1);
        assertThat(EventScores.fMeasure(clip.beats(), r.onsets(), 0.05)).as("every beat is an onset").isGreaterThan(0.5);
        java.util.Random random = new java.util.Random(6);
        float[] noise = new float[5 * DrumSynth.RATE];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.3 * random.nextGaussian());
        OnsetsAnalyzer.Result n = Analyze.run(analyzer, noise, DrumSynth.RATE, 1); // no exception, a consistent result
        assertThat(n.onsets()).hasSize(n.count()).isSorted();
        assertThat(n.rate()).isCloseTo(n.count() / 5.0, org.assertj.core.data.Percentage.withPercentage(1)); // duration in whole frames
    }

    @Test
    void silenceHasNoOnsets() {
        OnsetsAnalyzer.Result result = Analyze.run(analyzer, new float[3 * DrumSynth.RATE], DrumSynth.RATE, 1);
        assertThat(result.onsets()).isEmpty();
        assertThat(result.rate()).isZero();
    }
}
