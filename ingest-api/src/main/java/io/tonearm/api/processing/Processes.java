package io.tonearm.api.processing;

import java.util.List;

/** Every processing endpoint the API serves, one line each. */
public final class Processes {

    /** Answered with the result when it is ready within the short wait, else 202 with the job. */
    public static final List<Process> ANALYSES = List.of(
            Process.of("bpm", "Tempo: tempo (BPM), confidence", "bpm"),
            Process.of("key", "Key: key, mode, confidence", "key"),
            Process.of("lufs", "Loudness (EBU R128): integrated_lufs, loudness_range, true_peak_dbtp, ...", "loudness-ebur128"),
            Process.of("key-bpm", "Key and tempo in one job, fields merged (key first)", "key", "bpm"),
            Process.of("beatgrid", "Beats and downbeats (seconds)", "beatgrid"),
            Process.of("chords", "Chords: [{start, end, label}] with Harte labels", "chords"),
            Process.of("pitch", "Pitch contour and median f0", "pitch"));

    /**
     * Endpoints of DESIGN.md whose analyzers or producers do not exist yet: they answer 501 (no job is created,
     * nothing is charged) rather than queue a job that could never finish.
     */
    public static final List<String> NOT_YET_AVAILABLE = List.of("/v1/master", "/v1/separate/2stem",
            "/v1/separate/4stem", "/v1/transcribe", "/v1/segment-transcribe", "/v1/analyze/upload",
            "/v1/queue/audio/separate");

    private Processes() {
    }
}
