package io.tonearm.analysis.tonal;

import java.util.Locale;

/**
 * Pitch classes 0..11 (C = 0) and how Tonearm spells them. One convention everywhere (keys and chord labels):
 * {@code C C# D Eb E F F# G Ab A Bb B}, the spelling Essentia and most DJ software print. Chord labels are
 * compared enharmonically by MIREX-style evaluation, so the choice only affects display.
 */
public final class PitchClass {

    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

    private PitchClass() {
    }

    public static String name(int pitchClass) {
        return NAMES[Math.floorMod(pitchClass, 12)];
    }

    /** Parses a spelled pitch class, sharps or flats ({@code "F#"}, {@code "Gb"}, {@code "bb"}); throws if unknown. */
    public static int parse(String spelled) {
        String s = spelled.trim();
        if (s.isEmpty()) throw new IllegalArgumentException("empty pitch class");
        int pc = switch (Character.toUpperCase(s.charAt(0))) {
            case 'C' -> 0;
            case 'D' -> 2;
            case 'E' -> 4;
            case 'F' -> 5;
            case 'G' -> 7;
            case 'A' -> 9;
            case 'B' -> 11;
            default -> throw new IllegalArgumentException("not a pitch class: " + spelled);
        };
        for (char c : s.substring(1).toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '#') pc++;
            else if (c == 'b') pc--;
            else throw new IllegalArgumentException("not a pitch class: " + spelled);
        }
        return Math.floorMod(pc, 12);
    }

    /**
     * Camelot wheel code of a key: the number walks the circle of fifths (C major = 8B, A minor = 8A, G major =
     * 9B), the letter is B for major and A for minor.
     */
    public static String camelot(int tonic, boolean minor) {
        int fifths = Math.floorMod(tonic * 7, 12); // steps from C on the circle of fifths
        int number = Math.floorMod(fifths + (minor ? 4 : 7), 12) + 1;
        return number + (minor ? "A" : "B");
    }
}
