package io.tonearm.launcher.analyze;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.registry.UnknownModelException;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tonearm analyze [--models a,b] FILE...}: one JSON object per line per file, exit 0 when every file and
 * every analyzer succeeded, 1 otherwise, 2 for a usage error (e.g. an unknown model).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze recordings; prints one JSON object per line per file.")
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--models", split = ",", paramLabel = "NAME[:VERSION]",
            description = "Analyzers to run (default: the standard set bpm, beatgrid, key, loudness-ebur128, chords).")
    List<String> models;

    @Option(names = "--param", paramLabel = "MODEL.NAME=VALUE",
            description = "An analyzer parameter, e.g. --param bpm.min_bpm=70 (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--budget", defaultValue = "600", paramLabel = "SECONDS",
            description = "Wall-clock limit for decoding one file (default: ${DEFAULT-VALUE}).")
    long budgetSeconds;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Keep output files (MIDI, stems, mastered audio) here, content-addressed; without it, analyzers that write files fail.")
    Path outDir;

    @Option(names = "--list", description = "List the available analyzers with their versions and parameters.")
    boolean list;

    @Parameters(paramLabel = "FILE", arity = "0..*")
    List<Path> files = new ArrayList<>();

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        AnalyzerRegistry registry = StandardAnalyzers.registry();
        if (list) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(registry.specs()));
            return 0;
        }
        List<Selection> selections;
        try {
            selections = select(registry);
        } catch (IllegalArgumentException e) {
            System.err.println("tonearm analyze: " + e.getMessage());
            return 2;
        }
        if (files.isEmpty()) {
            System.err.println("tonearm analyze: no FILE given");
            return 2;
        }
        OutputStore outputs = outDir == null ? OutputStore.NONE : new DirectoryOutputStore(outDir);
        AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofSeconds(budgetSeconds), outputs);
        ObjectWriter writer = Json.mapper().writer();
        boolean allOk = true;
        for (Path file : files) {
            AnalysisReport report = runner.analyze(file, selections);
            allOk &= report.ok();
            out.println(writer.writeValueAsString(AnalysisLine.of(report)));
            out.flush();
        }
        return allOk ? 0 : 1;
    }

    private List<Selection> select(AnalyzerRegistry registry) {
        List<String> names = models == null || models.isEmpty() ? StandardAnalyzers.STANDARD_SET : models;
        Map<String, Map<String, String>> raw = parseParams();
        List<Selection> out = new ArrayList<>();
        for (String name : names) {
            String key = name.contains(":") ? name.substring(0, name.indexOf(':')).trim().toLowerCase() : name.trim().toLowerCase();
            out.add(registry.select(name, raw.getOrDefault(key, Map.of())));
            raw.remove(key);
        }
        if (!raw.isEmpty()) throw new UnknownModelException("--param names models that are not selected: " + raw.keySet());
        return out;
    }

    private Map<String, Map<String, String>> parseParams() {
        Map<String, Map<String, String>> byModel = new LinkedHashMap<>();
        for (String p : params) {
            int dot = p.indexOf('.');
            int eq = p.indexOf('=');
            if (dot <= 0 || eq < dot + 2) throw new IllegalArgumentException("--param must look like MODEL.NAME=VALUE, got " + p);
            byModel.computeIfAbsent(p.substring(0, dot).trim().toLowerCase(), k -> new LinkedHashMap<>())
                    .put(p.substring(dot + 1, eq).trim(), p.substring(eq + 1).trim());
        }
        return byModel;
    }
}
