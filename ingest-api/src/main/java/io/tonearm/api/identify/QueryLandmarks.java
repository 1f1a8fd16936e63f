package io.tonearm.api.identify;

import io.tonearm.analysis.Params;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.sinks.blobs.BlobStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A query recording's landmarks in a format it is not indexed in, fingerprinted from its audio on the caller's
 * thread. Needed only while the caller's catalog holds recordings indexed in an earlier format (they keep it until
 * they are analysed again or expire with their asset, at most a plan's retention): their hashes are marked apart, so
 * only a query in their format can find them. A query is an asset, so its bytes are there; the fingerprint alone
 * costs about 1/1400 of the audio's duration beside the decode (README, "Benchmarks").
 */
final class QueryLandmarks {

    private final BlobStore blobs;
    private final AnalysisRunner runner;

    QueryLandmarks(BlobStore blobs, Decoder decoder, Duration budget) {
        this.blobs = blobs;
        this.runner = new AnalysisRunner(decoder, budget);
    }

    /** The landmarks as the index would hold them in {@code format}; empty when the audio is gone or does not decode. */
    Optional<Landmarks> of(String sha256, LandmarkFormat format) {
        FingerprintAnalyzer analyzer = new FingerprintAnalyzer(format);
        AnalysisReport report;
        try {
            report = runner.analyze(blobs.localFile(sha256), sha256,
                    List.of(new Selection(FingerprintAnalyzer.NAME, analyzer, Params.of(analyzer.spec(), Map.of()))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var envelope = report.results().get(FingerprintAnalyzer.NAME);
        return envelope == null ? Optional.empty()
                : Optional.of(((FingerprintAnalyzer.Result) envelope.results()).landmarks().unpack());
    }
}
