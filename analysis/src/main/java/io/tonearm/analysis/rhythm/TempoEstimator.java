package io.tonearm.analysis.rhythm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Global tempo from an onset envelope, after Ellis ("Beat tracking by dynamic programming", JNMR 2007) and
 * Percival &amp; Tzanetakis ("Streamlined tempo estimation based on autocorrelation and cross-correlation with
 * pulses", IEEE/ACM TASLP 2014):
 * <ol>
 *   <li>the envelope minus its moving average over 1 s, half-wave rectified (keeps the pulses, drops loudness);</li>
 *   <li>its unbiased, normalized autocorrelation; candidate periods are its peaks within the BPM range, each
 *       refined to a fractional lag by a comb over its first multiples (the multiples sharpen the estimate);</li>
 *   <li>the candidate that is strongest under a log-normal tempo prior (centred at 120 BPM, one octave wide,
 *       Ellis's prior) chooses the metrical family;</li>
 *   <li>octave decision: from the slowest octave of that family in range, the level moves to ×2 (or ×3) as long
 *       as the faster level's sub-pulses, phase-aligned, reach {@value #FILL_RATIO} of its pulses (see
 *       {@link PulseSalience}): kick on 1 and snare on 2 fill the half-note level, so the beat is the quarter;
 *       hi-hat eighths between the beats do not fill the quarter, so the beat stays there. Linear pulse means
 *       separate these cases far better than autocorrelation ratios, whose products mix the levels.</li>
 * </ol>
 * The confidence is the normalized autocorrelation at the chosen period: 1 for a perfectly periodic envelope,
 * near 0 for noise.
 */
public final class TempoEstimator {

    static final double FILL_RATIO = 0.35;
    private static final double PRIOR_CENTRE_BPM = 120, PRIOR_OCTAVES = 1.0;
    private static final double COMB_SECONDS = 8;

    /** A tempo and the periodicity supporting it (normalized autocorrelation, same scale as the confidence). */
    public record Candidate(double bpm, double score) {
    }

    /**
     * @param bpm          the tempo, null when there is no pulse at all (silence)
     * @param period       the beat period in envelope frames (fractional); 0 when bpm is null
     * @param confidence   normalized autocorrelation at the beat period, clamped to 0..1
     * @param alternatives other candidates, strongest first
     */
    public record Estimate(Double bpm, double period, double confidence, List<Candidate> alternatives) {
        static final Estimate NONE = new Estimate(null, 0, 0, List.of());
    }

    private final double minBpm;
    private final double maxBpm;

    public TempoEstimator(double minBpm, double maxBpm) {
        if (!(minBpm > 0 && maxBpm > minBpm)) throw new IllegalArgumentException("need 0 < min_bpm < max_bpm, got " + minBpm + ", " + maxBpm);
        this.minBpm = minBpm;
        this.maxBpm = maxBpm;
    }

    public Estimate estimate(float[] envelope, double fps) {
        double[] pulses = pulses(envelope, fps);
        int n = pulses.length;
        double minLag = fps * 60 / maxBpm, maxLag = fps * 60 / minBpm;
        int acfLag = (int) Math.min(n * 2 / 3, Math.max(Math.ceil(maxLag) + 2, fps * COMB_SECONDS));
        if (acfLag < Math.ceil(minLag) + 2) return Estimate.NONE;
        Autocorrelation r = Autocorrelation.of(pulses, acfLag);
        if (r.at(0) == 0) return Estimate.NONE;

        List<Candidate> peaks = new ArrayList<>();
        for (int l = Math.max(2, (int) Math.floor(minLag)); l <= Math.min(Math.ceil(maxLag), r.maxLag() - 1); l++) {
            if (r.at(l) > 0 && r.at(l) >= r.at(l - 1) && r.at(l) > r.at(l + 1)) {
                double lag = refine(r, l);
                double bpm = 60 * fps / lag;
                if (bpm >= minBpm && bpm <= maxBpm) peaks.add(new Candidate(bpm, r.at(lag)));
            }
        }
        if (peaks.isEmpty()) return Estimate.NONE;
        Candidate family = peaks.stream().max(Comparator.comparingDouble(c -> c.score() * prior(c.bpm()))).orElseThrow();
        Candidate beat = tactus(family, r, new PulseSalience(toDouble(envelope), fps), fps);
        List<Candidate> alternatives = new ArrayList<>();
        for (Candidate c : peaks) {
            if (Math.abs(Math.log(c.bpm() / beat.bpm())) > 0.03 && alternatives.stream().noneMatch(a -> Math.abs(Math.log(a.bpm() / c.bpm())) < 0.03)) {
                alternatives.add(c);
            }
        }
        alternatives.sort(Comparator.comparingDouble(Candidate::score).reversed());
        double period = 60 * fps / beat.bpm();
        return new Estimate(beat.bpm(), period, Math.max(0, Math.min(1, beat.score())), List.copyOf(alternatives));
    }

    /**
     * The octave decision: from the slowest octave of {@code family} in range, move to a faster level (×2 or ×3)
     * while that level's sub-pulses are played nearly as strongly as its pulses ({@link PulseSalience#fill}).
     */
    private Candidate tactus(Candidate family, Autocorrelation r, PulseSalience salience, double fps) {
        double period = 60 * fps / family.bpm();
        while (60 * fps / (2 * period) >= minBpm && 2 * period < salience.maxPeriod()) period *= 2;
        while (true) {
            int bestM = 0;
            double bestFill = FILL_RATIO;
            for (int m = 2; m <= 3; m++) {
                if (60 * fps / (period / m) > maxBpm) continue;
                double fill = salience.fill(period, m);
                if (fill >= bestFill) {
                    bestFill = fill;
                    bestM = m;
                }
            }
            if (bestM == 0) break;
            double faster = period / bestM;
            double refined = refine(r, (int) Math.round(faster));
            period = Math.abs(refined / faster - 1) < 0.05 ? refined : faster;
        }
        return new Candidate(60 * fps / period, r.at(period));
    }

    /**
     * Fractional lag near {@code lag} maximizing the mean autocorrelation over its first multiples (a comb):
     * errors grow with each multiple, so the comb pins the period far more finely than one frame.
     */
    private static double refine(Autocorrelation r, int lag) {
        double best = lag, bestScore = Double.NEGATIVE_INFINITY;
        for (double t = lag - 1; t <= lag + 1 + 1e-9; t += 0.01) {
            if (t < 1) continue;
            int multiples = (int) Math.min(8, Math.max(1, (r.maxLag() - 1) / t));
            double s = 0;
            for (int k = 1; k <= multiples; k++) s += r.at(k * t);
            s /= multiples;
            if (s > bestScore) {
                bestScore = s;
                best = t;
            }
        }
        return best;
    }

    private static double prior(double bpm) {
        double octaves = Math.log(bpm / PRIOR_CENTRE_BPM) / Math.log(2) / PRIOR_OCTAVES;
        return Math.exp(-0.5 * octaves * octaves);
    }

    private static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    /** The envelope minus its 1 s moving average, half-wave rectified. */
    static double[] pulses(float[] envelope, double fps) {
        int n = envelope.length;
        int half = (int) Math.round(fps / 2);
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + envelope[i];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - half), b = Math.min(n - 1, i + half);
            double mean = (prefix[b + 1] - prefix[a]) / (b - a + 1);
            out[i] = Math.max(0, envelope[i] - mean);
        }
        return out;
    }
}
