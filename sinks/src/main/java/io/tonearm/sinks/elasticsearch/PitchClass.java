package io.tonearm.sinks.elasticsearch;

/** Pitch-class numbers (C = 0 … B = 11) of note names as the analyzers spell them ({@code C#}, {@code Eb}, …). */
final class PitchClass {
    private static final int[] LETTERS = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G

    private PitchClass() {
    }

    /** The pitch class of a note name with any number of {@code #}/{@code b} accidentals; -1 when not a note. */
    static int of(String name) {
        if (name == null || name.isEmpty()) {
            return -1;
        }
        char letter = Character.toUpperCase(name.charAt(0));
        if (letter < 'A' || letter > 'G') {
            return -1;
        }
        int pc = LETTERS[letter - 'A'];
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '#' || c == '♯') {
                pc++;
            } else if (c == 'b' || c == '♭') {
                pc--;
            } else {
                return -1;
            }
        }
        return Math.floorMod(pc, 12);
    }
}
