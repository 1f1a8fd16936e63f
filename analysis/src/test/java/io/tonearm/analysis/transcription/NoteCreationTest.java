package io.tonearm.analysis.transcription;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The port of upstream's output_to_notes_polyphonic on hand-made posteriorgrams: no model needed. */
class NoteCreationTest {

    private static final int KEYS = Posteriorgrams.KEYS;
    private static final NoteCreation.Settings DEFAULTS = new NoteCreation.Settings(0.5, 0.3, 11, true, 0, KEYS, 11);

    /** A builder of note/onset maps of {@code frames} frames. */
    private static final class Maps {
        final float[][] note;
        final float[][] onset;

        Maps(int frames) {
            note = new float[frames][KEYS];
            onset = new float[frames][KEYS];
        }

        Maps note(int key, int from, int to, float v) {
            for (int t = from; t < to; t++) note[t][key] = v;
            return this;
        }

        Maps onset(int key, int t, float v) {
            onset[t][key] = v;
            return this;
        }

        Posteriorgrams grams() {
            Posteriorgrams g = new Posteriorgrams();
            for (int t = 0; t < note.length; t++) g.append(note[t], 0, onset[t], 0);
            return g;
        }
    }

    private static List<NoteCreation.Event> notes(Maps m, NoteCreation.Settings s) {
        return NoteCreation.notes(m.grams(), s);
    }

    @Test
    void onsetPeakStartsANoteThatLastsWhileTheFrameActivationHolds() {
        Maps m = new Maps(100).note(40, 10, 40, 0.8f).onset(40, 9, 0.3f).onset(40, 10, 0.9f).onset(40, 11, 0.4f);

        List<NoteCreation.Event> e = notes(m, DEFAULTS);

        assertThat(e).hasSize(1);
        assertThat(e.get(0).start()).isEqualTo(10);
        assertThat(e.get(0).end()).isEqualTo(40);     // first frame below the threshold, exclusive
        assertThat(e.get(0).pitch()).isEqualTo(61);
        assertThat(e.get(0).amplitude()).isCloseTo(0.8, within(1e-4));
    }

    @Test
    void shortDipsAreBridgedLongOnesEndTheNote() {
        // 10 frames below threshold (< energy_tol 11) inside the note are bridged; the note ends at frame 60. The
        // activation comes back gradually: a jump would be an inferred onset and start a second note there.
        Maps m = new Maps(120).note(40, 10, 30, 0.8f).note(40, 30, 40, 0.29f).note(40, 40, 41, 0.45f).note(40, 41, 42, 0.6f)
                .note(40, 42, 60, 0.8f).onset(40, 10, 0.9f);

        List<NoteCreation.Event> e = notes(m, new NoteCreation.Settings(0.5, 0.3, 11, false, 0, KEYS, 11));

        assertThat(e).singleElement().satisfies(n -> {
            assertThat(n.start()).isEqualTo(10);
            assertThat(n.end()).isEqualTo(60);
            assertThat(n.amplitude()).isCloseTo((38 * 0.8 + 10 * 0.29 + 0.45 + 0.6) / 50, within(1e-4));
        });
    }

    @Test
    void notesOfElevenFramesOrFewerAreDropped() {
        Maps m = new Maps(100).note(40, 10, 21, 0.8f).onset(40, 10, 0.9f)       // 11 frames: dropped
                .note(50, 10, 22, 0.8f).onset(50, 10, 0.9f);                         // 12 frames: kept
        List<NoteCreation.Event> e = notes(m, new NoteCreation.Settings(0.5, 0.3, 11, false, 0, KEYS, 11));

        assertThat(e).extracting(NoteCreation.Event::pitch).containsExactly(71);
    }

    @Test
    void aLaterOnsetCutsTheEarlierNoteOfTheSameKey() {
        // a repeated note: one long activation, onsets at 10 and 40; walked backwards, the later note zeroes its
        // frames first, so the earlier one stops where the later one starts
        Maps m = new Maps(100).note(40, 10, 70, 0.8f).onset(40, 10, 0.9f).onset(40, 40, 0.9f);

        List<NoteCreation.Event> e = notes(m, new NoteCreation.Settings(0.5, 0.3, 11, false, 0, KEYS, 11));

        assertThat(e).hasSize(2);
        assertThat(e.get(0).start()).isEqualTo(40);
        assertThat(e.get(0).end()).isEqualTo(70);
        assertThat(e.get(1).start()).isEqualTo(10);
        assertThat(e.get(1).end()).isEqualTo(40);
    }

    @Test
    void melodiaTrickRecoversANoteWithoutOnsetAndZeroesItsNeighbours() {
        // a note with a soft attack (no onset peak, frame activation ramps up over 4 frames so no inferred onset
        // exceeds 0.5 after rescaling by a strong real onset elsewhere), plus activation in the key above that
        // must be swallowed by the zeroing of the neighbours
        Maps m = new Maps(200).note(10, 10, 40, 0.9f).onset(10, 10, 1.0f);     // the reference onset note
        for (int t = 100; t < 104; t++) m.note[t][30] = 0.1f * (t - 99);
        m.note(30, 104, 150, 0.6f).note(31, 110, 140, 0.35f);

        List<NoteCreation.Event> without = notes(m, new NoteCreation.Settings(0.5, 0.3, 11, false, 0, KEYS, 11));
        List<NoteCreation.Event> with = notes(m, DEFAULTS);

        assertThat(without).extracting(NoteCreation.Event::pitch).containsExactly(31);
        assertThat(with).extracting(NoteCreation.Event::pitch).containsExactly(31, 51);
        NoteCreation.Event grown = with.get(1);
        assertThat(grown.start()).isEqualTo(102);       // 0.3 reached at frame 102
        assertThat(grown.end()).isEqualTo(149);         // upstream's end is one frame before the last above threshold
    }

    @Test
    void inferredOnsetsStartNotesWhereTheActivationJumps() {
        // no onset activation at all for key 20, but its frame activation jumps from 0 to 0.9: the rescaled
        // difference map peaks there (it is the only jump, so it is rescaled to max(onset) = 0.9)
        Maps m = new Maps(100).note(20, 30, 60, 0.9f).onset(60, 80, 0.9f);

        List<NoteCreation.Event> e = notes(m, new NoteCreation.Settings(0.5, 0.3, 11, false, 0, KEYS, 11));

        assertThat(e).singleElement().satisfies(n -> {
            assertThat(n.pitch()).isEqualTo(41);
            assertThat(n.start()).isEqualTo(30);
            assertThat(n.end()).isEqualTo(60);
        });
    }

    @Test
    void keysOutsideTheRangeAreIgnored() {
        Maps m = new Maps(100).note(40, 10, 40, 0.8f).onset(40, 10, 0.9f).note(60, 10, 40, 0.8f).onset(60, 10, 0.9f);

        assertThat(notes(m, new NoteCreation.Settings(0.5, 0.3, 11, true, 0, 60, 11)))
                .extracting(NoteCreation.Event::pitch).containsExactly(61);
        assertThat(notes(m, new NoteCreation.Settings(0.5, 0.3, 11, true, 41, KEYS, 11)))
                .extracting(NoteCreation.Event::pitch).containsExactly(81);
    }

    @Test
    void nothingAboveThresholdGivesNothing() {
        assertThat(notes(new Maps(50).note(5, 0, 50, 0.2f), DEFAULTS)).isEmpty();
        assertThat(notes(new Maps(0), DEFAULTS)).isEmpty();
    }

    @Test
    void framesToTimeFollowUpstream() {
        assertThat(FrameTimes.seconds(0)).isZero();
        assertThat(FrameTimes.seconds(86)).isCloseTo(86 * 256 / 22050.0, within(1e-9));
        // upstream: 172 frames · 256/22050 − ((256/22050)·(172 − 43844/256) + 0.0018)
        assertThat(FrameTimes.seconds(172)).isCloseTo(1.99692 - (256 / 22050.0 * (172 - 43844 / 256.0) + 0.0018), within(1e-5));
        // an hour in, within 1 ms of where 142 frames per 36164 samples really are
        int f = 142 * 2200;
        assertThat(FrameTimes.seconds(f)).isCloseTo(2200 * 36164 / 22050.0, within(0.01));
    }
}
