package io.tonearm.analysis.signal;

/**
 * Mean downmix followed by band-limited resampling (Kaiser-windowed sinc, polyphase; Smith, "Digital Audio
 * Resampling", and Kaiser's window design formulas as in Oppenheim &amp; Schafer 7.6). The filter's stopband starts
 * at the lower Nyquist (11025 Hz for the analysis signal) with {@value #STOPBAND_DB} dB attenuation, so nothing
 * above it aliases back louder than -{@value #STOPBAND_DB} dB; the passband is flat to {@value #PASSBAND}
 * of that Nyquist (≈9.9 kHz). For the standard rates the ratio is rational with at most 441 phases
 * (48000→22050 is 147/160), so every phase has its own exact filter; odd rates fall back to the nearest of
 * {@value #MAX_PHASES} phases, far below what the analyzers can hear. Pass-through when the rates already match.
 */
public final class AnalysisSignalConverter implements SignalConverter {

    static final int MAX_PHASES = 1024;
    /** Stopband attenuation: aliasing of content above the output Nyquist stays below -40 dB with margin. */
    static final double STOPBAND_DB = 50;
    /** Passband edge as a fraction of the lower Nyquist; the transition band lies between it and that Nyquist. */
    static final double PASSBAND = 0.9;

    private final int channels;
    private final long up;      // L: output samples per ...
    private final long down;    // M: ... input samples, reduced
    private final int phases;
    private final int halfWidth; // W: taps each side, in input samples
    private final float[][] kernels;

    private float[] buf;        // mono input history; buf[0] is absolute input index bufStart
    private long bufStart;
    private int bufLen;
    private long inputCount;    // real input samples received
    private long nextOut;       // index of the next output sample
    private long nextIn;        // floor(nextOut * M / L): the input sample the next output sits at or after ...
    private long nextRem;       // ... and (nextOut * M) mod L, its fraction in units of 1/L; kept by addition, since
                                // two 64-bit divisions per output sample cost as much as the filter itself

    public AnalysisSignalConverter(int sourceRate, int channels, int targetRate) {
        if (sourceRate <= 0 || targetRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad format: " + sourceRate + " Hz, " + channels + " channels");
        }
        this.channels = channels;
        long g = gcd(sourceRate, targetRate);
        this.up = targetRate / g;
        this.down = sourceRate / g;
        if (up == down) {
            phases = 1;
            halfWidth = 0;
            kernels = null;
        } else {
            double stop = 0.5 * Math.min(1.0, (double) targetRate / sourceRate); // cycles per input sample
            double pass = PASSBAND * stop;
            double fc = 0.5 * (pass + stop);
            // Kaiser: taps = (A - 7.95) / (14.36 * transition width); rounded up to a multiple of 4 for dot()
            int taps = (int) Math.ceil((STOPBAND_DB - 7.95) / (14.36 * (stop - pass)));
            halfWidth = 2 * ((taps + 3) / 4);
            double beta = 0.5842 * Math.pow(STOPBAND_DB - 21, 0.4) + 0.07886 * (STOPBAND_DB - 21);
            phases = (int) Math.min(up, MAX_PHASES);
            kernels = new float[phases][2 * halfWidth];
            double i0Beta = besselI0(beta);
            for (int p = 0; p < phases; p++) {
                double frac = (double) p / phases;
                for (int j = 0; j < 2 * halfWidth; j++) {
                    double tau = frac + halfWidth - 1 - j; // output time minus tap time, in input samples
                    double x = tau / halfWidth;
                    double w = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
                    double arg = 2 * fc * tau;
                    double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
                    kernels[p][j] = (float) (2 * fc * sinc * w);
                }
            }
        }
        buf = new float[8192 + 2 * halfWidth];
        bufStart = -(halfWidth - 1L);
        bufLen = Math.max(halfWidth - 1, 0); // zeros before the first sample
    }

    @Override
    public int maxOutput(int frames) {
        return (int) ((frames + 2L * halfWidth + 2) * up / down) + 4;
    }

    @Override
    public int convert(float[] interleaved, int frames, float[] out) {
        if (kernels == null) {
            downmix(interleaved, frames, out, 0);
            inputCount += frames;
            nextOut += frames;
            return frames;
        }
        ensureCapacity(frames);
        downmix(interleaved, frames, buf, bufLen);
        bufLen += frames;
        inputCount += frames;
        int n = emit(out, 0, Long.MAX_VALUE);
        compact();
        return n;
    }

    @Override
    public int flush(float[] out) {
        if (kernels == null) return 0;
        ensureCapacity(halfWidth + 1);
        for (int i = 0; i < halfWidth + 1; i++) buf[bufLen++] = 0f;
        long total = (inputCount * up + down - 1) / down; // ceil(N * L / M) outputs cover the input
        return emit(out, 0, total);
    }

    private int emit(float[] out, int offset, long limit) {
        int n = offset;
        long available = bufStart + bufLen; // absolute index one past the last buffered sample
        long stepIn = down / up, stepRem = down % up;
        while (nextOut < limit) {
            long i0 = nextIn;
            int phase = (int) (phases == up ? nextRem : Math.round((double) nextRem / up * phases));
            if (phase == phases) {
                phase = 0;
                i0++;
            }
            if (i0 + halfWidth >= available) break;
            out[n++] = dot(kernels[phase], buf, (int) (i0 - halfWidth + 1 - bufStart));
            nextOut++;
            nextIn += stepIn;
            nextRem += stepRem;
            if (nextRem >= up) {
                nextRem -= up;
                nextIn++;
            }
        }
        return n - offset;
    }

    /** Four independent sums: one running sum would wait on each add's latency (≈3× slower). Length % 4 == 0. */
    private static float dot(float[] k, float[] x, int base) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
        for (int j = 0; j < k.length; j += 4) {
            a0 += k[j] * x[base + j];
            a1 += k[j + 1] * x[base + j + 1];
            a2 += k[j + 2] * x[base + j + 2];
            a3 += k[j + 3] * x[base + j + 3];
        }
        return (a0 + a1) + (a2 + a3);
    }

    private void compact() {
        long keepFrom = nextIn - halfWidth; // oldest tap the next output needs, with margin
        int drop = (int) Math.max(0, Math.min(bufLen, keepFrom - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private void ensureCapacity(int more) {
        if (bufLen + more > buf.length) {
            float[] b = new float[Math.max(buf.length * 2, bufLen + more)];
            System.arraycopy(buf, 0, b, 0, bufLen);
            buf = b;
        }
    }

    private void downmix(float[] interleaved, int frames, float[] dest, int at) {
        if (channels == 1) {
            System.arraycopy(interleaved, 0, dest, at, frames);
            return;
        }
        float scale = 1f / channels;
        for (int f = 0, i = 0; f < frames; f++) {
            float sum = 0f;
            for (int c = 0; c < channels; c++) sum += interleaved[i++];
            dest[at + f] = sum * scale;
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / (k * (double) k);
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }
}
