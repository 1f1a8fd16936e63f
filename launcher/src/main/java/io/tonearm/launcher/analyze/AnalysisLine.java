package io.tonearm.launcher.analyze;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.decode.Decoder.DecoderInfo;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisReport.ErrorInfo;

import java.util.Map;

/**
 * One output line of {@code tonearm analyze}: {@code {file, sha256, duration, sample_rate, channels, decoder,
 * results: {name: envelope}, failures?}} or {@code {file, sha256?, error: {code, message}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AnalysisLine(String file, String sha256, Double duration, Integer sampleRate, Integer channels,
                    String codec, DecoderInfo decoder, Map<String, Envelope> results,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ErrorInfo> failures, ErrorInfo error) {

    static AnalysisLine of(AnalysisReport r) {
        if (r.error() != null) {
            return new AnalysisLine(r.file(), r.sha256(), null, null, null, null, null, null, Map.of(), r.error());
        }
        return new AnalysisLine(r.file(), r.sha256(), round(r.durationSeconds()), r.info().sampleRate(), r.info().channels(),
                r.info().codec(), r.decoder(), r.results(), r.failures(), null);
    }

    private static Double round(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 1000) / 1000.0;
    }
}
