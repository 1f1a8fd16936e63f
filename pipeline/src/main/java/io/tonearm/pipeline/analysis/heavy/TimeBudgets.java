package io.tonearm.pipeline.analysis.heavy;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How long analyses of one recording may take. Light analyzers share one decode bounded by {@code perRecording}.
 * Heavy analyzers (those that write output files: stems, mastered audio, MIDI) run only when requested, each on its
 * own decode, with a budget proportional to the audio's duration ({@code heavyPerAudioSecond} seconds of wall
 * clock per second of audio, at least {@code heavyMinimum}, at most {@code heavyMaximum}); an overrun fails that
 * analyzer's result, not the others.
 *
 * <p>Light analyses run on the coordinator's thread, so a checkpoint waits for the one in progress: their budget
 * ({@code AnalysisJob.LIGHT_BUDGET}) stays under the checkpoint timeout and the Kafka transaction timeout. Heavy
 * analyses run asynchronously beside it ({@code HeavyRunner}) and never hold a checkpoint: their maximum is the
 * async operator's timeout (plus a margin) and bounds how long a run may hold one of its threads; nothing else
 * limits it. A failover during a heavy run starts that run again after the restore.
 *
 * @param heavyAnalyzers registry names of the heavy analyzers
 */
public record TimeBudgets(Duration perRecording, double heavyPerAudioSecond, Duration heavyMinimum,
                          Duration heavyMaximum, Set<String> heavyAnalyzers) implements Serializable {

    /** The analyzers that write output files, including ones later releases add. */
    public static final Set<String> HEAVY = Set.of("master", "separate-2stem", "separate-4stem", "transcribe",
            "segment-transcribe");
    public static final double DEFAULT_PER_AUDIO_SECOND = 3.0;
    public static final Duration DEFAULT_HEAVY_MINIMUM = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEAVY_MAXIMUM = Duration.ofMinutes(12);

    public TimeBudgets {
        Objects.requireNonNull(perRecording, "perRecording");
        Objects.requireNonNull(heavyMinimum, "heavyMinimum");
        Objects.requireNonNull(heavyMaximum, "heavyMaximum");
        if (heavyMaximum.compareTo(heavyMinimum) < 0) {
            throw new IllegalArgumentException("the heavy budget's maximum " + heavyMaximum + " is below its minimum " + heavyMinimum);
        }
        heavyAnalyzers = Set.copyOf(heavyAnalyzers);
        if (perRecording.isNegative() || perRecording.isZero() || heavyMinimum.isNegative()
                || !(heavyPerAudioSecond > 0) || Double.isInfinite(heavyPerAudioSecond)) {
            throw new IllegalArgumentException("time budgets must be positive: " + perRecording + ", "
                    + heavyPerAudioSecond + " s per audio second, minimum " + heavyMinimum);
        }
    }

    /** {@code perRecording} for light analyzers; 3 s per audio second (60 s to 12 min) for each heavy one. */
    public static TimeBudgets of(Duration perRecording) {
        return new TimeBudgets(perRecording, DEFAULT_PER_AUDIO_SECOND, DEFAULT_HEAVY_MINIMUM, DEFAULT_HEAVY_MAXIMUM, HEAVY);
    }

    /**
     * As {@link #of}, the heavy budget from {@code TONEARM_HEAVY_BUDGET_PER_AUDIO_SECOND},
     * {@code TONEARM_HEAVY_BUDGET_MIN_SECONDS} and {@code TONEARM_HEAVY_BUDGET_MAX_SECONDS} (or the system properties
     * {@code tonearm.heavy-budget.per-audio-second}, {@code .min-seconds}, {@code .max-seconds}) when set.
     */
    public static TimeBudgets configured(Duration perRecording) {
        double factor = number("tonearm.heavy-budget.per-audio-second", "TONEARM_HEAVY_BUDGET_PER_AUDIO_SECOND",
                DEFAULT_PER_AUDIO_SECOND);
        double min = number("tonearm.heavy-budget.min-seconds", "TONEARM_HEAVY_BUDGET_MIN_SECONDS",
                DEFAULT_HEAVY_MINIMUM.toSeconds());
        double max = number("tonearm.heavy-budget.max-seconds", "TONEARM_HEAVY_BUDGET_MAX_SECONDS",
                DEFAULT_HEAVY_MAXIMUM.toSeconds());
        return new TimeBudgets(perRecording, factor, Duration.ofMillis(Math.round(min * 1000)),
                Duration.ofMillis(Math.round(max * 1000)), HEAVY);
    }

    public TimeBudgets withHeavy(double perAudioSecond, Duration minimum) {
        return new TimeBudgets(perRecording, perAudioSecond, minimum, heavyMaximum.compareTo(minimum) < 0 ? minimum : heavyMaximum,
                heavyAnalyzers);
    }

    public boolean isHeavy(String analyzer) {
        return heavyAnalyzers.contains(analyzer);
    }

    /** The budget of one heavy analyzer on {@code audioSeconds} of audio (unknown duration: the minimum). */
    public Duration heavy(Double audioSeconds) {
        long millis = audioSeconds == null ? 0 : Math.round(audioSeconds * heavyPerAudioSecond * 1000);
        return Duration.ofMillis(Math.min(heavyMaximum.toMillis(), Math.max(heavyMinimum.toMillis(), millis)));
    }

    private static double number(String property, String env, double fallback) {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) return fallback;
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be a number of seconds: " + v);
        }
    }
}
