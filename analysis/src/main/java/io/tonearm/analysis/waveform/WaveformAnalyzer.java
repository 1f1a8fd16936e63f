package io.tonearm.analysis.waveform;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Min/max waveform peaks at a requested number of points, from the original signal, streaming without knowing the
 * length in advance ({@link PeakEnvelope} keeps 4 to 8 buckets per requested point, at least 32,768, so a point's
 * span is widened by a small fraction of a point at most). "mixed" draws the mean of
 * the channels (as audiowaveform does); "per_channel" adds one envelope per channel.
 */
public final class WaveformAnalyzer implements Analyzer<WaveformResult> {

    static final String MIXED = "mixed";
    static final String PER_CHANNEL = "per_channel";

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("waveform", 1,
                    "min/max peaks of the signal at a fixed number of points, for waveform thumbnails")
            .withParams(ParamSpec.integer("points", 1000, 10, 100_000, "number of min/max pairs over the whole recording"),
                    ParamSpec.choice("channels", MIXED, List.of(MIXED, PER_CHANNEL),
                            "mixed: one envelope of the channel mean; per_channel: also one envelope per channel"));

    private static final int BUCKETS_PER_POINT = 8;
    private static final int MIN_BUCKETS = 1 << 16;

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<WaveformResult> start(Params params, RecordingContext recording) {
        int points = params.integer("points");
        Collector collector = new Collector(recording.info().channels(), Math.max(MIN_BUCKETS, points * BUCKETS_PER_POINT),
                params.string("channels").equals(PER_CHANNEL));
        recording.onOriginal(collector);
        int sampleRate = recording.info().sampleRate();
        return () -> collector.result(points, sampleRate);
    }

    private static final class Collector implements SampleListener {

        private final int channels;
        private final PeakEnvelope mixed;
        private final PeakEnvelope[] perChannel;

        Collector(int channels, int capacity, boolean perChannel) {
            this.channels = channels;
            this.mixed = new PeakEnvelope(capacity);
            this.perChannel = perChannel ? new PeakEnvelope[channels] : null;
            if (perChannel) for (int c = 0; c < channels; c++) this.perChannel[c] = new PeakEnvelope(capacity);
        }

        @Override
        public void samples(float[] samples, int offset, int frames) {
            float scale = 1f / channels;
            for (int i = 0, p = offset; i < frames; i++) {
                float sum = 0;
                for (int c = 0; c < channels; c++, p++) {
                    sum += samples[p];
                    if (perChannel != null) perChannel[c].add(samples[p]);
                }
                mixed.add(sum * scale);
            }
        }

        WaveformResult result(int points, int sampleRate) {
            int n = mixed.frames() == 0 ? 0 : points;
            float[][] mix = mixed.resample(n);
            List<double[]> channelMin = null;
            List<double[]> channelMax = null;
            if (perChannel != null) {
                channelMin = new ArrayList<>(channels);
                channelMax = new ArrayList<>(channels);
                for (PeakEnvelope e : perChannel) {
                    float[][] mm = e.resample(n);
                    channelMin.add(rounded(mm[0]));
                    channelMax.add(rounded(mm[1]));
                }
            }
            return new WaveformResult(n, mixed.frames() / (double) sampleRate, rounded(mix[0]), rounded(mix[1]),
                    channelMin, channelMax);
        }
    }

    private static double[] rounded(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Math.round(values[i] * 10_000.0) / 10_000.0;
        return out;
    }
}
