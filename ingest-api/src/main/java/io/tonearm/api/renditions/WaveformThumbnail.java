package io.tonearm.api.renditions;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.analysis.waveform.WaveformResult;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The waveform thumbnail: the analysis module's {@code waveform} analyzer (min/max of the channel mix, one pair per
 * pixel column, streamed in bounded memory) over the project's decoder, drawn by {@link WaveformPng}. Chosen over
 * ffmpeg's {@code showwavespic} so the picture shows exactly the peaks the {@code waveform} result reports and the
 * decode gets the decoder's checks (truncation, non-finite samples) and its error codes.
 */
final class WaveformThumbnail implements RenditionProducer {

    static final int WIDTH = 800;
    static final int HEIGHT = 160;
    static final String NAME = "waveform.png";

    private final AnalysisRunner runner;
    private final Selection waveform = StandardAnalyzers.registry().select("waveform",
            Map.of("points", WIDTH, "channels", "mixed"));

    WaveformThumbnail(Decoder decoder, Duration budget) {
        this.runner = new AnalysisRunner(decoder, budget);
    }

    @Override
    public RenditionKind kind() {
        return RenditionKind.THUMBNAIL;
    }

    @Override
    public List<RenditionFile> produce(Path audio, Path workDir) throws RenditionException {
        AnalysisReport report = runner.analyze(audio, "", List.of(waveform));
        if (report.error() != null) {
            throw new RenditionException("undecodable_audio." + report.error().code(), report.error().message());
        }
        if (!report.failures().isEmpty()) {
            AnalysisReport.ErrorInfo e = report.failures().values().iterator().next();
            throw new RenditionException(e.code(), e.message());
        }
        WaveformResult peaks = (WaveformResult) report.results().get(waveform.key()).results();
        Path png = workDir.resolve(NAME);
        try (OutputStream out = Files.newOutputStream(png)) {
            WaveformPng.write(peaks.min(), peaks.max(), WIDTH, HEIGHT, out);
        } catch (IOException e) {
            throw new RenditionException("internal_error", "writing the PNG failed: " + e.getMessage());
        }
        return List.of(new RenditionFile(NAME, "image/png", png));
    }
}
