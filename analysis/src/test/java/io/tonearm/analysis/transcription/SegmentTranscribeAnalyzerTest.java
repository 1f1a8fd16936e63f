package io.tonearm.analysis.transcription;

import io.tonearm.analysis.Params;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.structure.Section;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tonearm.analysis.transcription.PianoSynth.RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Sections × transcription on a rendered A B A piece whose sections use different pitch sets. */
class SegmentTranscribeAnalyzerTest {

    private static final int[] A_TONES = {48, 52, 55, 60, 64, 67};        // C major, low
    private static final int[] B_TONES = {66, 70, 73, 78, 82, 85};        // F# major, high

    private static List<PianoSynth.Note> part(int[] tones, double from, double seconds, int stride) {
        List<PianoSynth.Note> notes = new ArrayList<>();
        for (int i = 0; i * 0.25 < seconds - 0.3; i++) {
            double t = from + i * 0.25;
            notes.add(new PianoSynth.Note(t, t + 0.24, tones[(i * stride) % tones.length], 0.6));
            if (i % 4 == 0) notes.add(new PianoSynth.Note(t, t + 0.95, tones[0] - 12, 0.5));
        }
        return notes;
    }

    private static Path modelsDir() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(dir.resolve(Model.BASIC_PITCH.relativePath())), "no " + Model.BASIC_PITCH.relativePath());
        return dir;
    }

    @Test
    void askedTogetherWithTranscribeBasicPitchRunsOnceAndBothResultsAreAsAlone(@TempDir Path out) throws Exception {
        ModelStore models = new ModelStore(modelsDir());
        List<PianoSynth.Note> truth = new ArrayList<>();
        truth.addAll(part(A_TONES, 0, 12, 1));
        truth.addAll(part(B_TONES, 12, 12, 5));
        float[] piece = PianoSynth.render(truth, 24);
        // different settings on purpose: pitch bends only for transcribe, which is started second, after the
        // shared network output exists without them
        Selection segments = selection(new SegmentTranscribeAnalyzer(models), Map.of("min_hz", 60.0));
        Selection notes = selection(new TranscribeAnalyzer(models), Map.of("pitch_bends", true));

        long before = BasicPitchWindows.RUNS.sum();
        AnalysisReport alone1 = Analyze.report(List.of(notes), piece, RATE, 1, new DirectoryOutputStore(out.resolve("a")));
        long onePass = BasicPitchWindows.RUNS.sum() - before;
        AnalysisReport alone2 = Analyze.report(List.of(segments), piece, RATE, 1, new DirectoryOutputStore(out.resolve("b")));
        long afterAlone = BasicPitchWindows.RUNS.sum();
        AnalysisReport together = Analyze.report(List.of(segments, notes), piece, RATE, 1, new DirectoryOutputStore(out.resolve("c")));
        long togetherRuns = BasicPitchWindows.RUNS.sum() - afterAlone;

        System.out.printf("Basic Pitch windows: transcribe alone %d, segment-transcribe alone %d, both on one decode %d%n",
                onePass, afterAlone - before - onePass, togetherRuns);
        assertThat(onePass).as("24 s at 1.64 s a window").isBetween(14L, 16L);
        assertThat(afterAlone - before - onePass).isEqualTo(onePass);
        assertThat(togetherRuns).as("the network runs once for both").isEqualTo(onePass);
        assertThat(together.failures()).isEmpty();

        TranscriptionResult t1 = (TranscriptionResult) alone1.results().get(notes.key()).results();
        TranscriptionResult t2 = (TranscriptionResult) together.results().get(notes.key()).results();
        assertThat(t1.noteCount()).isGreaterThan(20);
        assertThat(t2.notes()).isEqualTo(t1.notes());
        assertThat(t2.midi().sha256()).as("same MIDI bytes, bends included").isEqualTo(t1.midi().sha256());
        SegmentTranscriptionResult s1 = (SegmentTranscriptionResult) alone2.results().get(segments.key()).results();
        SegmentTranscriptionResult s2 = (SegmentTranscriptionResult) together.results().get(segments.key()).results();
        assertThat(s2.segments()).isEqualTo(s1.segments());
        assertThat(s2.midi().sha256()).isEqualTo(s1.midi().sha256());
    }

    private static Selection selection(io.tonearm.analysis.Analyzer<?> analyzer, Map<String, ?> params) {
        return new Selection(analyzer.spec().name(), analyzer, Params.of(analyzer.spec(), params));
    }

    @Test
    void notesFollowTheirSectionsAndTheMidiCarriesMarkers(@TempDir Path out) throws Exception {
        Path dir = modelsDir();
        List<PianoSynth.Note> truth = new ArrayList<>();
        truth.addAll(part(A_TONES, 0, 20, 1));
        truth.addAll(part(B_TONES, 20, 20, 5));
        truth.addAll(part(A_TONES, 40, 20, 1));
        float[] piece = PianoSynth.render(truth, 60);

        SegmentTranscriptionResult result = Analyze.runWithOutputs(new SegmentTranscribeAnalyzer(new ModelStore(dir)),
                Map.of("min_hz", 60.0), piece, RATE, 1, new DirectoryOutputStore(out));

        List<TranscribedSegment> segments = result.segments();
        System.out.println("segments: " + segments.stream().map(s -> s.label() + " " + s.start() + "–" + s.end() + " (" + s.notes().size()
                + " notes)").toList());
        assertThat(segments).extracting(TranscribedSegment::label).containsExactly("A", "B", "A");
        assertThat(segments.get(1).start()).isCloseTo(20, org.assertj.core.data.Offset.offset(3.0));
        assertThat(segments.get(2).start()).isCloseTo(40, org.assertj.core.data.Offset.offset(3.0));
        assertThat(segments.stream().mapToInt(s -> s.notes().size()).sum()).isEqualTo(result.noteCount());
        for (TranscribedSegment s : segments) {
            Set<Integer> classes = pitchClasses(s.label().equals("A") ? A_TONES : B_TONES);
            long inKey = s.notes().stream().filter(n -> classes.contains(n.pitch() % 12)).count();
            assertThat(inKey).as("notes of %s in its pitch set", s.label()).isGreaterThanOrEqualTo(Math.round(0.9 * s.notes().size()));
            assertThat(s.notes()).allSatisfy(n -> assertThat(n.start()).isBetween(s.start(), s.end()));
        }

        Sequence midi = MidiSystem.getSequence(Path.of(URI.create(result.midi().location())).toFile());
        List<String> markers = new ArrayList<>();
        for (Track track : midi.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                if (track.get(i).getMessage() instanceof MetaMessage m && m.getType() == 0x06) markers.add(new String(m.getData()));
            }
        }
        assertThat(markers).containsExactly("A", "B", "A");
    }

    private static Set<Integer> pitchClasses(int[] tones) {
        java.util.HashSet<Integer> out = new java.util.HashSet<>();
        for (int t : tones) out.add(t % 12);
        return out;
    }

    @Test
    void splitGivesEachNoteToTheSectionOfItsOnset() {
        List<Section> sections = List.of(new Section(0, 10, "A", 1), new Section(10, 20, "B", 0.5), new Section(20, 30, "A", 1));
        List<TranscribedNote> notes = List.of(new TranscribedNote(1, 2, 60, 80, 0.6), new TranscribedNote(9.9, 12, 62, 80, 0.6),
                new TranscribedNote(10, 11, 64, 80, 0.6), new TranscribedNote(29.99, 30.5, 65, 80, 0.6));
        List<TranscribedSegment> split = SegmentTranscribeAnalyzer.split(sections, notes);
        assertThat(split).extracting(s -> s.notes().size()).containsExactly(2, 1, 1);
        assertThat(split.get(0).notes().get(1).end()).isEqualTo(12);
    }

    @Test
    void takesTheParametersOfBoth() {
        var names = new SegmentTranscribeAnalyzer(new ModelStore(null)).spec().params().stream().map(io.tonearm.analysis.ParamSpec::name).toList();
        assertThat(names).contains("min_section_s", "label_threshold", "onset_threshold", "melodia_trick");
    }
}
