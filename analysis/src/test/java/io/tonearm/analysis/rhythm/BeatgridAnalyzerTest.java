package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BeatgridAnalyzerTest {

    private final BeatgridAnalyzer analyzer = new BeatgridAnalyzer();

    @Test
    void tracksBeatsAndDownbeatsOfDrumPatterns() {
        List<String> weakBeats = new ArrayList<>();
        int downbeatsRight = 0;
        StringBuilder table = new StringBuilder("beatgrid on drum patterns (bpm: beat F(70 ms), downbeat F(70 ms), meter, tempo)\n");
        for (double bpm : BpmAnalyzerTest.TEMPI) {
            DrumSynth.Pattern p = new DrumSynth((long) bpm).fourFour(bpm, 24, 0.5, 0);
            BeatgridAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
            double f = EventScores.fMeasure(p.beats(), r.beats(), 0.07);
            double fd = EventScores.fMeasure(p.downbeats(), r.downbeats(), 0.07);
            table.append(String.format("  %5.0f: %.3f  %.3f  %s  %.2f  (offset %.1f ms)%n", bpm, f, fd, r.timeSignature(), r.tempo(),
                    1000 * EventScores.meanOffset(p.beats(), r.beats(), 0.07)));
            if (f < 0.9) weakBeats.add(bpm + ": " + f);
            if (fd >= 0.9 && "4/4".equals(r.timeSignature())) downbeatsRight++;
            assertThat(r.downbeats()).isSubsetOf(r.beats());
            assertThat(BpmAnalyzerTest.correct(r.tempo(), bpm)).as("tempo from beats at %s: %s", bpm, r.tempo()).isTrue();
        }
        System.out.print(table);
        assertThat(weakBeats).as("patterns with beat F-measure < 0.9").isEmpty();
        assertThat(downbeatsRight).as("4/4 patterns with downbeats right").isGreaterThanOrEqualTo(BpmAnalyzerTest.TEMPI.length - 2);
    }

    @Test
    void serializesTheContractFieldNames() throws Exception {
        DrumSynth.Pattern p = new DrumSynth(8).fourFour(110, 8, 0.5, 0);
        BeatgridAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
        com.fasterxml.jackson.databind.JsonNode json = io.tonearm.analysis.Json.mapper().valueToTree(r);
        assertThat(json.get("beats").isArray()).isTrue();
        assertThat(json.get("downbeats").isArray()).isTrue();
        assertThat(json.get("time_signature").asText()).isEqualTo("4/4");
        assertThat(json.get("tempo").asDouble()).isCloseTo(110, org.assertj.core.data.Offset.offset(1.5));
        assertThat(json.has("confidence")).isTrue();
    }

    @Test
    void waltzIsThreeFour() {
        for (double bpm : new double[]{90, 120, 150}) {
            DrumSynth.Pattern p = new DrumSynth(31).waltz(bpm, 24);
            BeatgridAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
            double f = EventScores.fMeasure(p.beats(), r.beats(), 0.07);
            double fd = EventScores.fMeasure(p.downbeats(), r.downbeats(), 0.07);
            System.out.printf("waltz %.0f: beat F %.3f, downbeat F %.3f, %s, tempo %.2f%n", bpm, f, fd, r.timeSignature(), r.tempo());
            assertThat(r.timeSignature()).as("waltz at %s", bpm).isEqualTo("3/4");
            assertThat(f).isGreaterThanOrEqualTo(0.9);
            assertThat(fd).isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void swungLooselyPlayedPattern() {
        DrumSynth.Pattern p = new DrumSynth(11).fourFour(96, 25, 0.66, 0.012);
        BeatgridAnalyzer.Result r = Analyze.run(analyzer, p.audio(), DrumSynth.RATE, 1);
        double f = EventScores.fMeasure(p.beats(), r.beats(), 0.07);
        System.out.printf("swung 96: beat F %.3f, tempo %.2f%n", f, r.tempo());
        assertThat(f).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void silenceNoiseAndShortClips() {
        BeatgridAnalyzer.Result silence = Analyze.run(analyzer, new float[5 * DrumSynth.RATE], DrumSynth.RATE, 1);
        assertThat(silence.beats()).isEmpty();
        assertThat(silence.tempo()).isNull();

        Random random = new Random(4);
        float[] noise = new float[10 * DrumSynth.RATE];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.3 * random.nextGaussian());
        BeatgridAnalyzer.Result n = Analyze.run(analyzer, noise, DrumSynth.RATE, 1);
        assertThat(n.confidence()).isLessThan(0.3);

        DrumSynth.Pattern clip = new DrumSynth(2).fourFour(120, 2, 0.5, 0);
        BeatgridAnalyzer.Result c = Analyze.run(analyzer, clip.audio(), DrumSynth.RATE, 1);
        System.out.printf("2 s clip: beats %s (truth %s)%n", c.beats(), clip.beats());
        assertThat(EventScores.fMeasure(clip.beats(), c.beats(), 0.07)).isGreaterThanOrEqualTo(0.5);

        BeatgridAnalyzer.Result tiny = Analyze.run(analyzer, new float[DrumSynth.RATE / 10], DrumSynth.RATE, 1);
        assertThat(tiny.beats()).isEmpty();
        assertThat(tiny.timeSignature()).isNull();
    }
}
