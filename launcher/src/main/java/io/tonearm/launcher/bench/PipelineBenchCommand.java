package io.tonearm.launcher.bench;

import io.tonearm.launcher.up.Stack;
import io.tonearm.launcher.up.StackConfig;
import io.tonearm.sinks.postgres.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tonearm bench pipeline}: {@link PipelineBench} against the whole stack ({@code tonearm up}'s) started for it. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recordings per minute end to end (upload -> result rows) next to the bare runner on the same "
                + "files in the same run, and upload -> results latency, against a local stack started for the run.",
                "Each round measures its own bare reference right before and after its pipeline phase; the median of the "
                + "rounds' ratios is the figure to quote on a shared machine."})
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--light", defaultValue = "5", description = "Recordings sent one at a time (default ${DEFAULT-VALUE}).")
    int light;

    @Option(names = "--burst", defaultValue = "24", description = "Recordings sent at once in each round, at least 2 (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--rounds", defaultValue = "3", description = {"Rounds of bare -> pipeline burst -> bare, each on "
            + "new recordings; the figures are each round's and their median (default ${DEFAULT-VALUE})."})
    int rounds;

    @Option(names = "--warm-up", defaultValue = "1", description = {"Rounds run first and left out of the median: the "
            + "first burst also compiles the pipeline's code paths (default ${DEFAULT-VALUE})."})
    int warmUps;

    @Option(names = "--seconds", defaultValue = "60", description = "Length of each recording in seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--parallelism", defaultValue = "1", description = "The analysis job's parallelism and the bare runner's threads (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--no-search", description = "Run without Elasticsearch (search documents are discarded).")
    boolean noSearch;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("tonearm-bench-pipeline");
        StackConfig config = StackConfig.derived(work.resolve("data"), 0).withPipeline(true, parallelism);
        if (noSearch) config = config.withoutSearch();
        try (Stack stack = BenchStack.start(work, config, System.out);
             Database db = Database.open(stack.jdbcUrl(), stack.dbUser(), config.dbPassword(), 2);
             PipelineBench bench = new PipelineBench(stack.apiUrl(), BenchStack.keys(stack, 1).get(0), db, stack.postgresData(), work, System.out)) {
            bench.run(new PipelineBench.Settings(light, burst, seconds, parallelism, rounds, warmUps));
            return 0;
        } finally {
            BenchFiles.deleteTree(work);
        }
    }
}
