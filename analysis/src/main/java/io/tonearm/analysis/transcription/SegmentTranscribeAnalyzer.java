package io.tonearm.analysis.transcription;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.structure.Section;
import io.tonearm.analysis.structure.SectionsAnalyzer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Structure segments, each transcribed: {@link SectionsAnalyzer} and the Basic Pitch transcription of
 * {@link TranscribeAnalyzer} run side by side over the same single decode (with {@code transcribe} also asked, the
 * network runs once for both: {@link BasicPitchActivations}). Sections are known only once the
 * recording has ended, so the whole recording's notes are kept (a few hundred bytes a second) and split by onset at
 * the end. Takes the parameters of both; one MIDI file with a marker at each section's start.
 */
public final class SegmentTranscribeAnalyzer implements Analyzer<SegmentTranscriptionResult> {

    public static final String NAME = "segment-transcribe";

    private static final SectionsAnalyzer SECTIONS = new SectionsAnalyzer();

    private final TranscribeAnalyzer transcribe;
    private final AnalyzerSpec spec;

    public SegmentTranscribeAnalyzer() {
        this(null);
    }

    /** @param models where the Basic Pitch model is found; null = {@link ModelStore#shared()} */
    public SegmentTranscribeAnalyzer(ModelStore models) {
        this.transcribe = new TranscribeAnalyzer(models);
        this.spec = AnalyzerSpec.of(NAME, 1,
                        "Structure sections, each transcribed: segments [{start, end, label, notes}] and one MIDI file with section "
                                + "markers (sections + Basic Pitch over one decode)")
                .withParams(Stream.concat(SECTIONS.spec().params().stream(), transcribe.spec().params().stream())
                        .toArray(ParamSpec[]::new));
    }

    @Override
    public AnalyzerSpec spec() {
        return spec;
    }

    @Override
    public Run<SegmentTranscriptionResult> start(Params params, RecordingContext recording) {
        Run<List<MidiFileWriter.Bent>> notes = transcribe.transcribe(subset(params, transcribe.spec()), recording);
        Run<io.tonearm.analysis.structure.SectionsResult> sections = SECTIONS.start(subset(params, SECTIONS.spec()), recording);
        OutputStore outputs = recording.outputs();
        return () -> {
            List<Section> found = sections.finish().sections();
            List<MidiFileWriter.Bent> bent = notes.finish();
            List<TranscribedSegment> segments = split(found, bent.stream().map(MidiFileWriter.Bent::note).toList());
            OutputRef midi = outputs == OutputStore.NONE ? null : midi(bent, found, outputs);
            return new SegmentTranscriptionResult(segments, bent.size(), midi);
        };
    }

    /** Each note goes to the section its onset falls in; notes are in onset order. */
    static List<TranscribedSegment> split(List<Section> sections, List<TranscribedNote> notes) {
        List<TranscribedSegment> out = new ArrayList<>();
        int next = 0;
        for (int s = 0; s < sections.size(); s++) {
            Section section = sections.get(s);
            boolean last = s + 1 == sections.size();
            List<TranscribedNote> inside = new ArrayList<>();
            while (next < notes.size() && (last || notes.get(next).start() < section.end())) inside.add(notes.get(next++));
            out.add(new TranscribedSegment(section.start(), section.end(), section.label(), inside));
        }
        return out;
    }

    private static Params subset(Params params, AnalyzerSpec spec) {
        Map<String, Object> values = new HashMap<>();
        for (ParamSpec p : spec.params()) if (params.has(p.name())) values.put(p.name(), params.asMap().get(p.name()));
        return Params.of(spec, values);
    }

    private static OutputRef midi(List<MidiFileWriter.Bent> notes, List<Section> sections, OutputStore outputs) {
        List<MidiFileWriter.Marker> markers = sections.stream().map(s -> new MidiFileWriter.Marker(s.start(), s.label())).toList();
        try (OutputStore.Output out = outputs.create("segments.mid", "audio/midi")) {
            MidiFileWriter.writeBent(notes, markers, out.stream());
            return out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the MIDI file: " + e.getMessage(), e);
        }
    }
}
