package io.tonearm.analysis.transcription;

import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.DirectoryOutputStore;
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

    @Test
    void notesFollowTheirSectionsAndTheMidiCarriesMarkers(@TempDir Path out) throws Exception {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(dir.resolve(Model.BASIC_PITCH.relativePath())), "no " + Model.BASIC_PITCH.relativePath());
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
