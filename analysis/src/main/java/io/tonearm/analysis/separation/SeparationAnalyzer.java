package io.tonearm.analysis.separation;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.output.WavWriter;
import io.tonearm.analysis.signal.PcmSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code separate-2stem} (vocals, instrumental) and {@code separate-4stem} (drums, bass, vocals, other). The
 * original is spooled to a temporary file while it streams (the WAV headers need the frame count), then the
 * chosen {@link StemSeparator} ({@code method}: signal processing, or the operator's ONNX network) writes every
 * stem straight into the run's {@link OutputStore}.
 */
public final class SeparationAnalyzer implements Analyzer<SeparationResult> {

    private final StemSet set;
    private final AnalyzerSpec spec;
    private final ModelStore models;

    private SeparationAnalyzer(StemSet set, String name, String description, ModelStore models) {
        this.set = set;
        this.models = models;
        this.spec = AnalyzerSpec.of(name, 1, description)
                .withParams(ParamSpec.choice("method", StemSeparators.DSP, StemSeparators.METHODS,
                        "dsp: median-filter harmonic/percussive separation with spatial and repetition masks (no model); "
                                + "onnx: the operator's separation network, separation/separation.onnx in the models directory"));
    }

    public static SeparationAnalyzer twoStems() {
        return twoStems(null);
    }

    /** @param models where {@code method=onnx} finds the network; null = {@link ModelStore#shared()} */
    public static SeparationAnalyzer twoStems(ModelStore models) {
        return new SeparationAnalyzer(StemSet.TWO, "separate-2stem",
                "Vocals and instrumental as WAV stems at the input's rate and channels; the stems sum back to the mix", models);
    }

    public static SeparationAnalyzer fourStems() {
        return fourStems(null);
    }

    /** @param models where {@code method=onnx} finds the network; null = {@link ModelStore#shared()} */
    public static SeparationAnalyzer fourStems(ModelStore models) {
        return new SeparationAnalyzer(StemSet.FOUR, "separate-4stem",
                "Drums, bass, vocals and other as WAV stems at the input's rate and channels; the stems sum back to the mix", models);
    }

    @Override
    public AnalyzerSpec spec() {
        return spec;
    }

    @Override
    public boolean writesOutputFiles() {
        return true;
    }

    @Override
    public Run<SeparationResult> start(Params params, RecordingContext recording) {
        StemSeparator separator = StemSeparators.forMethod(params.string("method"), models != null ? models : ModelStore.shared(), set);
        int rate = recording.info().sampleRate();
        int channels = recording.info().channels();
        PcmSpool spool = new PcmSpool(channels);
        recording.onOriginal(spool);
        return () -> {
            try (spool) {
                return new SeparationResult(write(separator, spool, rate, recording.outputs()), separator.method(), rate, channels,
                        separator.model());
            } catch (IOException e) {
                throw new UncheckedIOException("separation failed: " + e.getMessage(), e);
            }
        };
    }

    private Map<String, OutputRef> write(StemSeparator separator, PcmSpool spool, int rate, OutputStore store) throws IOException {
        List<OutputStore.Output> outputs = new ArrayList<>();
        try {
            List<WavWriter> writers = new ArrayList<>();
            for (String name : set.names()) {
                OutputStore.Output output = store.create(name + ".wav", WavWriter.MEDIA_TYPE);
                outputs.add(output);
                writers.add(new WavWriter(output.stream(), rate, spool.channels(), spool.frames()));
            }
            separator.separate(spool, rate, set, (stem, samples, offset, frames) -> writers.get(stem).write(samples, offset, frames));
            Map<String, OutputRef> refs = new LinkedHashMap<>();
            for (int s = 0; s < set.size(); s++) {
                writers.get(s).finish();
                refs.put(set.names().get(s), outputs.get(s).finish());
            }
            return refs;
        } finally {
            for (OutputStore.Output output : outputs) output.close();
        }
    }
}
