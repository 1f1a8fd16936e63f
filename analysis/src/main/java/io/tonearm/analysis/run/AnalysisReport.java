package io.tonearm.analysis.run;

import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoder.DecoderInfo;

import java.util.Map;

/**
 * What analyzing one recording produced. Either {@code error} is set (the recording could not be decoded) or
 * {@code results} holds one envelope per analyzer that succeeded and {@code failures} one error per analyzer
 * that did not: one failing analyzer never loses the others' results.
 *
 * @param durationSeconds decoded duration (frames / sample rate), not the declared one
 * @param timingsNanos    CPU-thread time spent per analyzer and shared feature, plus {@code decode}: for the bench
 */
public record AnalysisReport(String file, String sha256, AudioInfo info, DecoderInfo decoder, Double durationSeconds,
                             Map<String, Envelope> results, Map<String, ErrorInfo> failures, ErrorInfo error,
                             Map<String, Long> timingsNanos) {

    public boolean ok() {
        return error == null && failures.isEmpty();
    }

    /** An analyzer's failure code: it failed on this recording. */
    public static final String ANALYZER_FAILED = "analyzer_failed";
    /** An analyzer's failure code: its model is not installed or cannot be loaded (not a property of the recording). */
    public static final String MODEL_UNAVAILABLE = "model_unavailable";

    /** A typed failure: a stable machine code and a human message. */
    public record ErrorInfo(String code, String message) {
    }
}
