package io.tonearm.analysis.structure;

import io.tonearm.analysis.testing.SignalOnlyBaseline;
import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.tonal.ChordAnalyzer;
import io.tonearm.analysis.tonal.KeyAnalyzer;
import io.tonearm.analysis.transcription.SegmentTranscribeAnalyzer;
import io.tonearm.analysis.voice.VocalActivityAnalyzer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prints what sections, vocal-activity and segment-transcribe cost on 3 minutes of a rendered song, in thread CPU
 * time minus a run that only receives the analysis signal: a measurement, not a timed assertion. The model-based
 * ones skip without ../shared/models; the slower probes (segment-transcribe, sections beside key + chords) run only
 * with -Dtonearm.bench=true.
 */
class StructureCostTest {

    private static final float[] SONG = threeMinutes();

    private static float[] threeMinutes() {
        List<SongSynth.Part> form = new ArrayList<>(SongSynth.popForm());
        form.add(new SongSynth.Part("x", SongSynth.INTRO, 180 - SongSynth.duration(form), false));
        return SongSynth.render(form, 9);
    }

    private static Selection selection(Analyzer<?> a) {
        return new Selection(a.spec().name(), a, Params.defaults(a.spec()));
    }

    private static void print(String what, long cpuNanos) {
        double seconds = SONG.length / (double) SongSynth.RATE;
        System.out.printf("%s on %.0f s of audio: %.0f ms CPU, %.0f× realtime%n", what, seconds, cpuNanos / 1e6, seconds / (cpuNanos / 1e9));
    }

    @Test
    void sections() {
        print("sections alone (incl. its 4096/2048 spectrum and chroma)", cpuOver(List.of(selection(new SectionsAnalyzer())), 2));
    }

    @Test
    void sectionsBesideKeyAndChords() {
        assumeTrue(Boolean.getBoolean("tonearm.bench"), "opt-in: -Dtonearm.bench=true");
        List<Selection> tonal = List.of(selection(new KeyAnalyzer()), selection(new ChordAnalyzer()));
        List<Selection> withSections = new ArrayList<>(tonal);
        withSections.add(selection(new SectionsAnalyzer()));
        print("sections added to key + chords (shared chroma)", cpuOver(withSections, 3) - cpuOver(tonal, 3));
    }

    @Test
    void vocalActivity() {
        Path models = models(Model.SILERO_VAD);
        print("vocal-activity (resample to 16 kHz, Silero VAD)", cpuOver(List.of(selection(new VocalActivityAnalyzer(new ModelStore(models)))), 2));
    }

    @Test
    void segmentTranscribe() {
        assumeTrue(Boolean.getBoolean("tonearm.bench"), "opt-in: -Dtonearm.bench=true");
        Path models = models(Model.BASIC_PITCH);
        print("segment-transcribe (Basic Pitch + sections)", cpuOver(List.of(selection(new SegmentTranscribeAnalyzer(new ModelStore(models)))), 1));
    }

    private static Path models(Model model) {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(dir.resolve(model.relativePath())), "no " + model.relativePath());
        return dir;
    }

    /** Least CPU time over a few rounds (the first ones warm up the JIT), minus a signal-only run. */
    private static long cpuOver(List<Selection> selections, int rounds) {
        SignalOnlyBaseline baseline = new SignalOnlyBaseline();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long t0 = cpu();
            AnalysisReport report = Analyze.report(selections, SONG, SongSynth.RATE, 1);
            long t1 = cpu();
            Analyze.report(List.of(selection(baseline)), SONG, SongSynth.RATE, 1);
            long t2 = cpu();
            assertThat(report.failures()).isEmpty();
            best = Math.min(best, (t1 - t0) - (t2 - t1));
        }
        return best;
    }

    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
