package io.tonearm.analysis.separation;

import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.signal.AnalysisSignalConverter;
import io.tonearm.analysis.signal.PcmSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Separation by an operator-configured network ({@link SeparationModel}), streaming: each channel is resampled to
 * the model's rate (the project's Kaiser polyphase resampler), cut into chunks that overlap by the sidecar's share,
 * run through the network, and cross-faded back together with linear ramps over the overlap, normalised by the
 * summed weights (as Demucs's {@code apply_model} does), then resampled back to the input's rate. Memory is a chunk
 * and the resamplers' filters, whatever the duration.
 *
 * <p>Stems map by name: each stem of the set except the last ({@code other}, {@code instrumental}) takes the model's
 * stem of the same name, or silence when the model has none; the last stem is the mix minus the others, so it also
 * holds whatever the model's own stems do not explain, and the stems sum back to the mix exactly.
 *
 * <p>Channels: the file's channels go through the network in groups of its channel count (stereo pairs for a
 * stereo model, one by one for a mono model); a group short of channels repeats them and averages the copies'
 * outputs (a mono file through a stereo model).
 */
final class OnnxSeparator implements StemSeparator {

    private static final int OUT_BLOCK = 4096;

    private final SeparationModel model;
    private final StemSet stems;
    private final int[] source;

    /** @throws IllegalStateException when the model has none of the set's stems but the residual */
    OnnxSeparator(SeparationModel model, StemSet stems) {
        this.model = model;
        this.stems = stems;
        this.source = sources(model.sidecar().stems(), stems);
    }

    @Override
    public String method() {
        return StemSeparators.ONNX;
    }

    @Override
    public SeparationResult.ModelInfo model() {
        return model.info();
    }

    @Override
    public void separate(PcmSpool mix, int sampleRate, StemSet set, StemSink sink) throws IOException {
        if (set != stems) throw new IllegalArgumentException("this separator delivers " + stems + ", not " + set);
        try {
            mix.replay(new Pass(model, sampleRate, mix.channels(), stems, source, sink));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Per stem of the set, the index of the model's stem of that name, or -1 (silence; always -1 for the residual). */
    static int[] sources(List<String> modelStems, StemSet stems) {
        int[] source = new int[stems.size()];
        boolean any = false;
        for (int t = 0; t < stems.size(); t++) {
            source[t] = t == stems.residual() ? -1 : modelStems.indexOf(stems.names().get(t));
            any |= source[t] >= 0;
        }
        if (!any) {
            throw new IllegalStateException("the separation model's stems " + modelStems + " include none of "
                    + stems.names().subList(0, stems.residual()) + " (the sidecar's stem names must use these words)");
        }
        return source;
    }

    /** One streaming pass over a recording. */
    private static final class Pass implements SampleListener {
        private final SeparationModel model;
        private final int channels;          // the file's
        private final int modelChannels;
        private final int chunk;
        private final int hop;
        private final int[] source;
        private final int residual;
        private final int stemCount;
        private final StemSink sink;
        private final AnalysisSignalConverter[] toModel;
        private final AnalysisSignalConverter[][] fromModel;   // [stem][channel], null for stems without a source
        private final float[][] window;      // [channel][chunk] at the model's rate
        private int fill;
        private final float[] weight;
        private final float[] weightSum;
        private final float[][][] acc;       // [stem][channel][chunk], null for stems without a source
        private final float[] input;
        private final FrameQueue mixQueue;
        private final FrameQueue[] stemQueues;
        private long received;               // model-rate samples per channel
        private long finished;               // model-rate samples per channel blended and passed on
        private float[] channelIn = new float[0];
        private final float[][] toModelOut;      // [channel][samples], this block at the model's rate
        private final float[][] fromModelOut;    // [channel][samples], one stem's block back at the file's rate
        private final int[] fromModelCounts;
        private float[] back = new float[0];
        private float[] interleaved = new float[0];
        private final float[][] block;

        Pass(SeparationModel model, int sampleRate, int channels, StemSet set, int[] source, StemSink sink) {
            SeparationSidecar sidecar = model.sidecar();
            this.model = model;
            this.channels = channels;
            this.modelChannels = sidecar.channels();
            this.chunk = sidecar.chunkSamples();
            int overlap = sidecar.overlapSamples();
            this.hop = chunk - overlap;
            this.source = source;
            this.residual = set.residual();
            this.stemCount = set.size();
            this.sink = sink;
            this.toModel = new AnalysisSignalConverter[channels];
            for (int c = 0; c < channels; c++) toModel[c] = new AnalysisSignalConverter(sampleRate, 1, sidecar.sampleRate());
            this.fromModel = new AnalysisSignalConverter[stemCount][];
            this.acc = new float[stemCount][][];
            this.stemQueues = new FrameQueue[stemCount];
            for (int t = 0; t < stemCount; t++) {
                if (source[t] < 0) continue;
                fromModel[t] = new AnalysisSignalConverter[channels];
                for (int c = 0; c < channels; c++) fromModel[t][c] = new AnalysisSignalConverter(sidecar.sampleRate(), 1, sampleRate);
                acc[t] = new float[channels][chunk];
                stemQueues[t] = new FrameQueue(channels);
            }
            this.window = new float[channels][chunk];
            this.weight = new float[chunk];
            for (int i = 0; i < chunk; i++) weight[i] = Math.min(1f, Math.min(i + 1, chunk - i) / (float) (overlap + 1));
            this.weightSum = new float[chunk];
            this.input = new float[modelChannels * chunk];
            this.mixQueue = new FrameQueue(channels);
            this.block = new float[stemCount][OUT_BLOCK * channels];
            this.toModelOut = new float[channels][0];
            this.fromModelOut = new float[channels][0];
            this.fromModelCounts = new int[channels];
        }

        @Override
        public void samples(float[] samples, int offset, int frames) {
            mixQueue.append(samples, offset, frames);
            if (channelIn.length < frames) channelIn = new float[frames];
            int n = 0;
            for (int c = 0; c < channels; c++) {
                for (int i = 0, p = offset + c; i < frames; i++, p += channels) channelIn[i] = samples[p];
                n = convert(toModel[c], channelIn, frames, false, toModelOut, c);
            }
            feed(n);
        }

        @Override
        public void end() {
            int n = 0;
            for (int c = 0; c < channels; c++) n = convert(toModel[c], channelIn, 0, true, toModelOut, c);
            feed(n);
            if (finished < received) {
                for (int c = 0; c < channels; c++) Arrays.fill(window[c], fill, chunk, 0f);
                runChunk(true);
            }
            for (int t = 0; t < stemCount; t++) {
                if (source[t] < 0) continue;
                for (int c = 0; c < channels; c++) convertBack(t, c, 0, true);
                queueBack(t);
            }
            drain(true);
        }

        /** Resamples one channel into {@code out[c]} (grown as needed); returns the count (the same for every channel). */
        private static int convert(AnalysisSignalConverter converter, float[] in, int frames, boolean flush, float[][] out, int c) {
            int max = converter.maxOutput(frames);
            if (out[c].length < max) out[c] = new float[max];
            return flush ? converter.flush(out[c]) : converter.convert(in, frames, out[c]);
        }

        /** Appends {@code n} model-rate samples per channel from {@code toModelOut}, running each chunk that fills. */
        private void feed(int n) {
            received += n;
            int pos = 0;
            while (pos < n) {
                int take = Math.min(chunk - fill, n - pos);
                for (int c = 0; c < channels; c++) System.arraycopy(toModelOut[c], pos, window[c], fill, take);
                fill += take;
                pos += take;
                if (fill == chunk) runChunk(false);
            }
        }

        private void runChunk(boolean last) {
            for (int group = 0; group * modelChannels < channels; group++) {
                int first = group * modelChannels;
                int real = Math.min(modelChannels, channels - first);
                for (int m = 0; m < modelChannels; m++) System.arraycopy(window[first + m % real], 0, input, m * chunk, chunk);
                float[] out = model.run(input);
                for (int t = 0; t < stemCount; t++) {
                    if (source[t] < 0) continue;
                    int stemBase = source[t] * modelChannels * chunk;
                    for (int j = 0; j < real; j++) {
                        float[] a = acc[t][first + j];
                        float share = 1f / ((modelChannels - j + real - 1) / real); // the copies of channel j are averaged
                        for (int m = j; m < modelChannels; m += real) {
                            int base = stemBase + m * chunk;
                            for (int i = 0; i < chunk; i++) a[i] += share * weight[i] * out[base + i];
                        }
                    }
                }
            }
            for (int i = 0; i < chunk; i++) weightSum[i] += weight[i];
            int count = (int) (last ? received - finished : hop);
            for (int t = 0; t < stemCount; t++) {
                if (source[t] < 0) continue;
                for (int c = 0; c < channels; c++) convertBack(t, c, count, false);
                queueBack(t);
            }
            finished += count;
            if (!last) {
                shift(weightSum);
                for (float[][] stem : acc) if (stem != null) for (float[] a : stem) shift(a);
                for (float[] w : window) System.arraycopy(w, hop, w, 0, chunk - hop);
                fill -= hop;
            }
            drain(false);
        }

        private void shift(float[] a) {
            System.arraycopy(a, hop, a, 0, chunk - hop);
            Arrays.fill(a, chunk - hop, chunk, 0f);
        }

        /** Blends {@code count} finished samples of stem t, channel c, and resamples them to the file's rate. */
        private void convertBack(int t, int c, int count, boolean flush) {
            if (back.length < count) back = new float[count];
            for (int i = 0; i < count; i++) back[i] = acc[t][c][i] / weightSum[i];
            fromModelCounts[c] = convert(fromModel[t][c], back, count, flush, fromModelOut, c);
        }

        /** Interleaves what {@link #convertBack} left in {@code fromModelOut} onto stem t's queue. */
        private void queueBack(int t) {
            int n = fromModelCounts[0];
            if (interleaved.length < n * channels) interleaved = new float[n * channels];
            for (int c = 0; c < channels; c++) {
                float[] from = fromModelOut[c];
                for (int i = 0, p = c; i < n; i++, p += channels) interleaved[p] = from[i];
            }
            stemQueues[t].append(interleaved, 0, n);
        }

        /**
         * Writes the frames every stem has, the last stem being the mix minus the others; at the end the mix's
         * length decides (a stem the resampler left a frame short is padded with silence, extra frames dropped).
         */
        private void drain(boolean end) {
            int ready = mixQueue.frames();
            if (!end) for (FrameQueue q : stemQueues) if (q != null) ready = Math.min(ready, q.frames());
            while (ready > 0) {
                int n = Math.min(ready, OUT_BLOCK);
                mixQueue.take(block[residual], n);
                for (int t = 0; t < stemCount; t++) {
                    if (t == residual) continue;
                    float[] b = block[t];
                    if (source[t] < 0) {
                        Arrays.fill(b, 0, n * channels, 0f);
                        continue;
                    }
                    int have = Math.min(n, stemQueues[t].frames());
                    stemQueues[t].take(b, have);
                    Arrays.fill(b, have * channels, n * channels, 0f);
                    float[] rest = block[residual];
                    for (int i = 0; i < n * channels; i++) rest[i] -= b[i];
                }
                try {
                    for (int t = 0; t < stemCount; t++) sink.write(t, block[t], 0, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ready -= n;
            }
        }
    }
}
