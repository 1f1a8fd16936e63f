package io.tonearm.analysis;

import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.loudness.EbuR128Analyzer;
import io.tonearm.analysis.mastering.MasteringAnalyzer;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.pitch.PitchAnalyzer;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.rhythm.BeatgridAnalyzer;
import io.tonearm.analysis.rhythm.BpmAnalyzer;
import io.tonearm.analysis.rhythm.OnsetsAnalyzer;
import io.tonearm.analysis.separation.SeparationAnalyzer;
import io.tonearm.analysis.structure.SectionsAnalyzer;
import io.tonearm.analysis.tonal.ChordAnalyzer;
import io.tonearm.analysis.tonal.KeyAnalyzer;
import io.tonearm.analysis.tonal.KeyNetAnalyzer;
import io.tonearm.analysis.transcription.SegmentTranscribeAnalyzer;
import io.tonearm.analysis.transcription.TranscribeAnalyzer;
import io.tonearm.analysis.voice.VocalActivityAnalyzer;
import io.tonearm.analysis.waveform.WaveformAnalyzer;

import java.util.List;

/** The composition root of the analysis module: every analyzer Tonearm ships, one line each. */
public final class StandardAnalyzers {

    /** What runs when a caller names no models. */
    public static final List<String> STANDARD_SET = List.of("bpm", "beatgrid", "key", "loudness-ebur128", "chords");

    private StandardAnalyzers() {
    }

    /** With the models directory configured for the process ({@link ModelStore#shared()}). */
    public static AnalyzerRegistry registry() {
        return registry(null);
    }

    /** @param models where the ONNX-backed analyzers find their models; null = {@link ModelStore#shared()} */
    public static AnalyzerRegistry registry(ModelStore models) {
        return new AnalyzerRegistry()
                .register(new BpmAnalyzer())
                .register(new BeatgridAnalyzer())
                .register(new OnsetsAnalyzer())
                .register(new KeyAnalyzer())
                .register(new KeyNetAnalyzer())
                .register(new ChordAnalyzer())
                .register(new EbuR128Analyzer())
                .register(new WaveformAnalyzer())
                .register(new PitchAnalyzer(models))
                .register(SeparationAnalyzer.twoStems(models))
                .register(SeparationAnalyzer.fourStems(models))
                .register(new MasteringAnalyzer())
                .register(new FingerprintAnalyzer(LandmarkFormat.V1))
                .register(new FingerprintAnalyzer(LandmarkFormat.V2))
                .register(new TranscribeAnalyzer(models))
                .register(new SectionsAnalyzer())
                .register(new VocalActivityAnalyzer(models))
                .register(new SegmentTranscribeAnalyzer(models));
    }
}
