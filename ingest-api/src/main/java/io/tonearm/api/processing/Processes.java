package io.tonearm.api.processing;

import io.tonearm.analysis.registry.ReferenceResolver;

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

    /** Long-running jobs: always 202 {@code {job_id}}; their files (stems, audio, MIDI) are the job's outputs. */
    public static final List<Process> JOBS = List.of(
            Process.job("master", "Mastering to a target loudness under a true-peak ceiling; body may add target_lufs "
                    + "(default -14), true_peak_ceiling (dBTP, default -1) and reference_asset_id (one of your assets: "
                    + "tonal balance toward it, reported in tonal_balance); output master.wav, before/after loudness", "master")
                    .param("target_lufs", "target_lufs").param("true_peak_ceiling", "ceiling_dbtp")
                    .assetParam("reference_asset_id", ReferenceResolver.SHA256),
            Process.job("separate/2stem", "Stems vocals, instrumental (WAV at the input's rate; they sum to the mix); body may "
                    + "add method: dsp (default, no model) or onnx (the operator's separation network)", "separate-2stem")
                    .param("method", "method"),
            Process.job("separate/4stem", "Stems drums, bass, vocals, other (WAV at the input's rate; they sum to the mix); body "
                    + "may add method: dsp (default, no model) or onnx (the operator's separation network)", "separate-4stem")
                    .param("method", "method"),
            Process.job("transcribe", "Polyphonic notes [{start, end, pitch, velocity}] and transcription.mid (Basic Pitch)", "transcribe"),
            Process.job("segment-transcribe", "Structure sections, each transcribed: segments [{start, end, label, notes}] "
                    + "and segments.mid with a marker at each section (Basic Pitch)", "segment-transcribe"),
            Process.job("analyze/upload", "Everything in one job on one decode: tempo, beats, key, loudness, chords, "
                    + "sections [{start, end, label}], vocal activity regions (Silero VAD model), plus the fingerprint for "
                    + "identify; fields merged at the top level, each analyzer's envelope under models; the results "
                    + "feed the asset's search document and its similarity vector. Vocal activity is optional: without "
                    + "its model the job still succeeds and lists it under failures with the reason",
                    "bpm", "beatgrid", "key", "loudness-ebur128", "chords", "sections", "vocal-activity")
                    .optional("vocal-activity"));

    /** The long job that runs {@code analyzer} alone (e.g. {@code /v1/master} for {@code master}), if there is one. */
    public static java.util.Optional<Process> jobRunning(String analyzer) {
        return JOBS.stream().filter(p -> p.analyzers().equals(List.of(analyzer))).findFirst();
    }

    /** The job endpoint of {@code kind}, e.g. {@code separate/2stem} for a prompt that maps to two stems. */
    static Process job(String kind) {
        return JOBS.stream().filter(p -> p.kind().equals(kind)).findFirst().orElseThrow();
    }

    private Processes() {
    }
}
