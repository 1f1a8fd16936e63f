package io.tonearm.analysis.transcription;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Notes → Standard MIDI File (format 1, one track, 480 ticks per quarter, 120 BPM, so 960 ticks per second),
 * through the JDK's {@code javax.sound.midi} writer. Channel 1, program "Electric Piano 1" as upstream Basic Pitch
 * writes. At equal ticks note-offs come first, so a repeated note is not cut by its predecessor's end.
 *
 * <p>Pitch bends, when given, follow upstream {@code note_events_to_midi}: evenly spaced over the note, one per
 * frame, {@code round(bend · 4096 / 3)} (bends in thirds of a semitone, ±2 semitones range), and only for notes
 * that overlap no other note (one channel has one bend). Unlike upstream, the bend is reset to centre at the
 * note's end so it does not carry over to the following notes (the last upstream bend, at the note-off itself, is
 * replaced by that reset).
 */
final class MidiFileWriter {

    static final int PPQ = 480;
    static final int TEMPO_BPM = 120;
    static final double TICKS_PER_SECOND = PPQ * TEMPO_BPM / 60.0;
    private static final int ELECTRIC_PIANO_1 = 4;
    private static final int BEND_CENTRE = 8192;

    /** A note and its per-frame bends in thirds of a semitone (null: none). */
    record Bent(TranscribedNote note, int[] bends) {
    }

    private record Timed(long tick, int order, MidiMessage message) {   // order: 0 off/reset, 1 bend, 2 on
    }

    private MidiFileWriter() {
    }

    static void write(List<TranscribedNote> notes, OutputStream out) throws IOException {
        List<Bent> plain = new ArrayList<>();
        for (TranscribedNote n : notes) plain.add(new Bent(n, null));
        writeBent(plain, out);
    }

    static void writeBent(List<Bent> notes, OutputStream out) throws IOException {
        writeBent(notes, List.of(), out);
    }

    /** A marker meta event (FF 06): a named point in time, e.g. the start of a section. */
    record Marker(double seconds, String text) {
    }

    static void writeBent(List<Bent> notes, List<Marker> markers, OutputStream out) throws IOException {
        try {
            Sequence sequence = new Sequence(Sequence.PPQ, PPQ);
            Track track = sequence.createTrack();
            int microsPerQuarter = 60_000_000 / TEMPO_BPM;
            track.add(new MidiEvent(new MetaMessage(0x51, new byte[]{
                    (byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter}, 3), 0));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, ELECTRIC_PIANO_1, 0), 0));
            for (Marker m : markers) {
                byte[] text = m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                track.add(new MidiEvent(new MetaMessage(0x06, text, text.length), tick(m.seconds())));
            }
            boolean[] overlapping = overlapping(notes);
            List<Timed> events = new ArrayList<>();
            for (int i = 0; i < notes.size(); i++) {
                TranscribedNote n = notes.get(i).note();
                long on = tick(n.start());
                long off = Math.max(on + 1, tick(n.end()));
                events.add(new Timed(on, 2, new ShortMessage(ShortMessage.NOTE_ON, 0, n.pitch(), n.velocity())));
                events.add(new Timed(off, 0, new ShortMessage(ShortMessage.NOTE_OFF, 0, n.pitch(), 0)));
                int[] bends = notes.get(i).bends();
                if (bends == null || bends.length == 0 || overlapping[i]) continue;
                for (int b = 0; b < bends.length; b++) {
                    double t = bends.length == 1 ? n.start() : n.start() + (n.end() - n.start()) * b / (bends.length - 1);
                    if (tick(t) >= off) break;   // a bend at the note-off is inaudible and would follow the reset
                    int value = (int) Math.max(-8192, Math.min(8191, Math.rint(bends[b] * 4096 / 3.0)));
                    events.add(new Timed(tick(t), 1, bend(value)));
                }
                events.add(new Timed(off, 0, bend(0)));
            }
            events.sort(Comparator.comparingLong(Timed::tick).thenComparingInt(Timed::order));
            for (Timed e : events) track.add(new MidiEvent(e.message(), e.tick()));
            MidiSystem.write(sequence, 1, out);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("cannot build the MIDI sequence: " + e.getMessage(), e);
        }
    }

    private static long tick(double seconds) {
        return Math.round(seconds * TICKS_PER_SECOND);
    }

    private static ShortMessage bend(int value) throws InvalidMidiDataException {
        int v = value + BEND_CENTRE;
        return new ShortMessage(ShortMessage.PITCH_BEND, 0, v & 0x7f, (v >> 7) & 0x7f);
    }

    /** Upstream's drop_overlapping_pitch_bends: a note whose span meets another note's keeps no bend. */
    private static boolean[] overlapping(List<Bent> notes) {
        Integer[] order = new Integer[notes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> notes.get(i).note().start()));
        boolean[] out = new boolean[notes.size()];
        for (int a = 0; a < order.length; a++) {
            TranscribedNote i = notes.get(order[a]).note();
            for (int b = a + 1; b < order.length && notes.get(order[b]).note().start() < i.end(); b++) {
                out[order[a]] = true;
                out[order[b]] = true;
            }
        }
        return out;
    }
}
