package io.tonearm.pipeline.analysis;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bench (opt-in: {@code -Dtonearm.bench=true}): recordings per minute through the job at parallelism 1 next to
 * the bare runner on one thread over the same files in the same run, and request → succeeded latency p50/p99.
 * Prints, does not assert speed (the machine is shared).
 */
@EnabledIfSystemProperty(named = "tonearm.bench", matches = "true")
class PipelineBenchITCase {

    private static final int TRACKS = Integer.getInteger("tonearm.bench.tracks", 12);
    private static final double SECONDS = 30.0;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    static Path blobs;

    @Test
    void recordingsPerMinutePipelineVersusBare() throws Exception {
        try (PipelineFixture f = new PipelineFixture(blobs)) {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < TRACKS; i++) files.add(f.kickAndTriad("bench" + i, SECONDS, 100 + 3 * i));

            AnalyzerRegistry registry = StandardAnalyzers.registry();
            AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(5));
            runner.analyze(files.get(0), registry.parse(String.join(",", StandardAnalyzers.STANDARD_SET))); // warm-up
            double bareBefore = bare(runner, registry, files);

            UUID account = f.account();
            List<Asset> assets = new ArrayList<>();
            for (Path p : files) assets.add(f.asset(account, p));
            f.start(RecordingAnalysis.standard(Duration.ofMinutes(5)), Duration.ofSeconds(1), 1);
            Thread.sleep(8_000); // let the job reach RUNNING so start-up is not counted
            Map<UUID, Long> publishedAt = new ConcurrentHashMap<>();
            long p0 = System.currentTimeMillis();
            for (Asset a : assets) {
                f.publishAsset(a);
                UUID job = f.request(a, StandardAnalyzers.STANDARD_SET.toArray(String[]::new));
                publishedAt.put(job, System.currentTimeMillis());
            }
            await("all jobs succeeded", Duration.ofMinutes(10),
                    () -> f.count("SELECT count(*) FROM jobs WHERE status = 'succeeded'") == TRACKS);
            double pipelineSeconds = (System.currentTimeMillis() - p0) / 1000.0;
            assertThat(f.count("SELECT count(DISTINCT sha256) FROM analysis_results")).isEqualTo(TRACKS);
            double bareAfter = bare(runner, registry, files);
            double bareSeconds = (bareBefore + bareAfter) / 2;
            double busySeconds = Double.parseDouble(f.scalar(
                    "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM jobs"));

            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<UUID, Long> e : publishedAt.entrySet()) {
                Timestamp done = f.db.withConnection(c -> {
                    try (var ps = c.prepareStatement("SELECT updated_at FROM jobs WHERE id = ?")) {
                        ps.setObject(1, e.getKey());
                        try (var rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getTimestamp(1);
                        }
                    }
                });
                latencies.add(done.getTime() - e.getValue());
            }
            latencies.sort(Long::compare);
            System.out.printf("bench: %d × %.0f s tracks, standard set %s%n", TRACKS, SECONDS, StandardAnalyzers.STANDARD_SET);
            System.out.printf("bench: bare runner, 1 thread: %.1f s before, %.1f s after the pipeline = %.1f recordings/min%n",
                    bareBefore, bareAfter, TRACKS * 60 / bareSeconds);
            System.out.printf("bench: pipeline, parallelism 1, first request published → last job succeeded: %.1f s = %.1f recordings/min (%.0f %% of bare)%n",
                    pipelineSeconds, TRACKS * 60 / pipelineSeconds, 100 * bareSeconds / pipelineSeconds);
            System.out.printf("bench: pipeline, parallelism 1, first analysis started → last job finished: %.1f s = %.1f recordings/min (%.0f %% of bare)%n",
                    busySeconds, TRACKS * 60 / busySeconds, 100 * bareSeconds / busySeconds);
            System.out.printf("bench: request → job succeeded (queue included): p50 %d ms, p99 %d ms%n",
                    latencies.get(latencies.size() / 2), latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1)));
        }
    }

    /** Seconds for the bare runner over every file, one after another on this thread (as {@code tonearm analyze}). */
    private static double bare(AnalysisRunner runner, AnalyzerRegistry registry, List<Path> files) {
        long t0 = System.nanoTime();
        for (Path p : files) {
            AnalysisReport r = runner.analyze(p, registry.parse(String.join(",", StandardAnalyzers.STANDARD_SET)));
            assertThat(r.ok()).as("bare analysis of %s: %s", p, r.failures()).isTrue();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
