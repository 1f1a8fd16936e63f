package io.tonearm.analysis.transcription;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
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
 * writes. At equal ticks note-offs come before note-ons so a repeated note is not cut by its predecessor's end.
 */
final class MidiFileWriter {

    static final int PPQ = 480;
    static final int TEMPO_BPM = 120;
    static final double TICKS_PER_SECOND = PPQ * TEMPO_BPM / 60.0;
    private static final int ELECTRIC_PIANO_1 = 4;

    private MidiFileWriter() {
    }

    static void write(List<TranscribedNote> notes, OutputStream out) throws IOException {
        try {
            Sequence sequence = new Sequence(Sequence.PPQ, PPQ);
            Track track = sequence.createTrack();
            int microsPerQuarter = 60_000_000 / TEMPO_BPM;
            track.add(new MidiEvent(new MetaMessage(0x51, new byte[]{
                    (byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter}, 3), 0));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, ELECTRIC_PIANO_1, 0), 0));
            record Timed(long tick, boolean on, TranscribedNote note) {
            }
            List<Timed> events = new ArrayList<>();
            for (TranscribedNote n : notes) {
                long on = Math.round(n.start() * TICKS_PER_SECOND);
                long off = Math.max(on + 1, Math.round(n.end() * TICKS_PER_SECOND));
                events.add(new Timed(on, true, n));
                events.add(new Timed(off, false, n));
            }
            events.sort(Comparator.comparingLong(Timed::tick).thenComparing(Timed::on));
            for (Timed e : events) {
                ShortMessage m = e.on()
                        ? new ShortMessage(ShortMessage.NOTE_ON, 0, e.note().pitch(), e.note().velocity())
                        : new ShortMessage(ShortMessage.NOTE_OFF, 0, e.note().pitch(), 0);
                track.add(new MidiEvent(m, e.tick()));
            }
            MidiSystem.write(sequence, 1, out);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("cannot build the MIDI sequence: " + e.getMessage(), e);
        }
    }
}
