package io.tonearm.analysis.pitch;

/** Frequency ↔ MIDI note number ↔ scientific pitch name (A4 = MIDI 69 = 440 Hz, sharps, C4 = middle C). */
public final class NoteNames {

    private static final String[] PITCH_CLASSES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

    private NoteNames() {
    }

    /** Fractional MIDI number of a frequency in equal temperament at A4 = 440 Hz. */
    public static double midi(double hz) {
        return 69 + 12 * Math.log(hz / 440.0) / Math.log(2);
    }

    public static double hz(double midi) {
        return 440.0 * Math.pow(2, (midi - 69) / 12.0);
    }

    /** Name of the nearest note, e.g. {@code A4} for 440 Hz or MIDI 69.3. */
    public static String name(double midi) {
        int n = (int) Math.round(midi);
        return PITCH_CLASSES[Math.floorMod(n, 12)] + (Math.floorDiv(n, 12) - 1);
    }

    /** Signed distance in cents from {@code reference} to {@code hz}. */
    public static double cents(double hz, double reference) {
        return 1200 * Math.log(hz / reference) / Math.log(2);
    }
}
