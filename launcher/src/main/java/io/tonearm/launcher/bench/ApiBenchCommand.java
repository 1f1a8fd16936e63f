package io.tonearm.launcher.bench;

import io.tonearm.launcher.up.Stack;
import io.tonearm.launcher.up.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code tonearm bench api}: {@link ApiBench} against a stack started for it (no analysis job, no Elasticsearch). */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload MB/s next to sha256sum/openssl of the same files, and read latency under concurrent",
                "clients next to GET /metrics and SELECT 1, against a local stack started for the run."})
public final class ApiBenchCommand implements Callable<Integer> {

    @Option(names = "--upload-mb", defaultValue = "512", description = "Size of the large upload in MB (default ${DEFAULT-VALUE}).")
    long uploadMb;

    @Option(names = "--audio-files", defaultValue = "20", description = "Audio-sized (~10 MB) files uploaded one after another (default ${DEFAULT-VALUE}).")
    int audioFiles;

    @Option(names = "--catalog", defaultValue = "2000", description = "Assets in the catalog the reads run over (default ${DEFAULT-VALUE}).")
    int catalog;

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "10", description = "Duration of each read phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("tonearm-bench-api");
        try (Stack stack = BenchStack.start(work, StackConfig.derived(work.resolve("data"), 0).withPipeline(false, 1)
                .withoutSearch(), System.out)) {
            new ApiBench(stack.apiUrl(), BenchStack.keys(stack, clients), stack.apiDataSource(), work, System.out)
                    .run(new ApiBench.Settings(uploadMb * 1_000_000, audioFiles, 60, catalog, clients, Duration.ofSeconds(seconds)));
            return 0;
        } finally {
            BenchFiles.deleteTree(work);
        }
    }
}
