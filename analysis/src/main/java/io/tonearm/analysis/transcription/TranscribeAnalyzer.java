package io.tonearm.analysis.transcription;

import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Polyphonic transcription to notes and a Standard MIDI File with Spotify's Basic Pitch (Bittner, Bosch,
 * Rubinstein, Meseguer-Brocal &amp; Ewert, "A Lightweight Instrument-Agnostic Model for Polyphonic Note
 * Transcription and Multipitch Estimation", ICASSP 2022) through ONNX Runtime, with upstream's windowing
 * ({@link BasicPitchWindows}) and note post-processing ({@link NoteCreation}, {@link FrameTimes}) and upstream's
 * defaults (onset 0.5, frame 0.3, 127.7 ms minimum, melodia trick on).
 *
 * <p>The model reads the 22050 Hz mono analysis signal directly (its own rate). Each window runs as its samples
 * arrive; the note and onset posteriorgrams are kept at 16 bits ({@link Posteriorgrams}, ≈ 109 MB an hour) because
 * the post-processing needs the whole recording. Pitch bends from the contour ({@link PitchBends}) are optional
 * and off by default, unlike upstream: they only reach the MIDI file for notes that overlap no other note, which
 * is few notes of polyphonic music, and they add a byte per key and frame.
 *
 * <p>Cost: the network dominates, one ONNX run per 1.64 s of audio, measured 46–51 ms CPU on one core, so
 * ≈ 32–35× real time (a 3-minute track ≈ 5.5 s); the note post-processing is a small part of that.
 * When the run keeps no output files ({@link OutputStore#NONE}) the notes are returned and {@code midi} is null.
 */
public final class TranscribeAnalyzer implements Analyzer<TranscriptionResult> {

    public static final String NAME = "transcribe";
    static final double FRAMES_PER_SECOND = 22050 / 256.0;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of(NAME, 1,
                    "Polyphonic notes [{start, end, pitch, velocity, amplitude}] and a MIDI file, by Basic Pitch (ICASSP 2022)")
            .withAliases("basic-pitch", "audio-to-midi")
            .withParams(
                    ParamSpec.number("onset_threshold", 0.5, 0.05, 1, "minimum onset activation (peak) that starts a note"),
                    ParamSpec.number("frame_threshold", 0.3, 0.05, 1, "minimum note activation for a note to stay on"),
                    ParamSpec.number("min_note_ms", 127.7, 0, 5000, "notes must be longer than this (rounded to 86 fps frames)"),
                    ParamSpec.bool("melodia_trick", true, "also grow notes from remaining activation peaks without an onset"),
                    ParamSpec.number("min_hz", null, 20, 5000,
                            "lowest pitch kept; keys from round(midi(min_hz)) upwards, as upstream"),
                    ParamSpec.number("max_hz", null, 20, 5000,
                            "highest pitch kept; keys below round(midi(max_hz)), that key excluded, as upstream"),
                    ParamSpec.bool("pitch_bends", false,
                            "write pitch bends from the contour into the MIDI file for notes that overlap no other note "
                                    + "(+50 % memory; off by default since polyphonic notes mostly overlap)"));

    private final ModelStore models;

    /** Model from the configured directory ({@link ModelStore#shared()}). */
    public TranscribeAnalyzer() {
        this(null);
    }

    /** @param models where the Basic Pitch model is found; null = {@link ModelStore#shared()} */
    public TranscribeAnalyzer(ModelStore models) {
        this.models = models;
    }

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<TranscriptionResult> start(Params params, RecordingContext recording) {
        Run<List<MidiFileWriter.Bent>> transcription = transcribe(params, recording);
        OutputStore outputs = recording.outputs();
        return () -> {
            List<MidiFileWriter.Bent> bent = transcription.finish();
            List<TranscribedNote> notes = bent.stream().map(MidiFileWriter.Bent::note).toList();
            return new TranscriptionResult(notes, notes.size(), outputs == OutputStore.NONE ? null : midi(bent, outputs));
        };
    }

    /**
     * The notes alone, in onset order, for analyzers that build on a transcription (segment-transcribe). The
     * network's output is the recording's shared {@link BasicPitchActivations}: asked twice, it runs once.
     */
    Run<List<MidiFileWriter.Bent>> transcribe(Params params, RecordingContext recording) {
        NoteCreation.Settings settings = settings(params);
        ModelStore store = models != null ? models : ModelStore.shared();
        OrtSession session = store.session(Model.BASIC_PITCH);
        BasicPitchActivations activations = recording.feature(BasicPitchActivations.FEATURE);
        boolean bends = params.bool("pitch_bends");
        activations.attach(session, bends);
        return () -> notes(NoteCreation.notes(activations.posteriorgrams(), settings), bends ? activations.bends() : null);
    }

    static NoteCreation.Settings settings(Params params) {
        int minKey = params.has("min_hz") ? key(params.number("min_hz")) : 0;
        int maxKey = params.has("max_hz") ? key(params.number("max_hz")) : Posteriorgrams.KEYS;
        if (minKey >= maxKey) {
            throw new IllegalArgumentException("min_hz and max_hz leave no key (keys " + minKey + " to " + maxKey + ", exclusive)");
        }
        int minFrames = (int) Math.rint(params.number("min_note_ms") / 1000 * FRAMES_PER_SECOND);
        return new NoteCreation.Settings(params.number("onset_threshold"), params.number("frame_threshold"), minFrames,
                params.bool("melodia_trick"), Math.max(0, minKey), Math.min(Posteriorgrams.KEYS, maxKey), 11);
    }

    /** Key index (0 = A0) of a frequency, rounded as upstream's {@code round(hz_to_midi(hz) − 21)}. */
    private static int key(double hz) {
        return (int) Math.rint(69 + 12 * Math.log(hz / 440) / Math.log(2) - NoteCreation.MIDI_OFFSET);
    }

    private static List<MidiFileWriter.Bent> notes(List<NoteCreation.Event> events, PitchBends bends) {
        List<MidiFileWriter.Bent> notes = new ArrayList<>(events.size());
        for (NoteCreation.Event e : events) {
            int velocity = (int) Math.max(1, Math.min(127, Math.rint(127 * e.amplitude())));
            TranscribedNote note = new TranscribedNote(round3(FrameTimes.seconds(e.start())), round3(FrameTimes.seconds(e.end())),
                    e.pitch(), velocity, round3(e.amplitude()));
            int[] b = null;
            if (bends != null) {
                b = new int[e.end() - e.start()];
                for (int t = e.start(); t < e.end(); t++) b[t - e.start()] = bends.bend(t, e.pitch() - NoteCreation.MIDI_OFFSET);
            }
            notes.add(new MidiFileWriter.Bent(note, b));
        }
        notes.sort(Comparator.comparingDouble((MidiFileWriter.Bent n) -> n.note().start()).thenComparingInt(n -> n.note().pitch()));
        return notes;
    }

    private static OutputRef midi(List<MidiFileWriter.Bent> notes, OutputStore outputs) {
        try (OutputStore.Output out = outputs.create("transcription.mid", "audio/midi")) {
            MidiFileWriter.writeBent(notes, out.stream());
            return out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the MIDI file: " + e.getMessage(), e);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
