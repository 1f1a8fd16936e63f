package io.tonearm.launcher.bench;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.FfmpegPrograms;
import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tonearm bench [FILE...]}: decode speed and each analyzer's speed as × realtime on ONE core, with peak
 * memory, beside the ffmpeg command-line decoder timed on the same file, same core, same run. Every figure comes
 * from a fresh JVM pinned with {@code taskset} to one core (its decoder child inherits the pinning), warmed up once,
 * median of the runs. Without FILE it renders a 3-minute 44.1 kHz stereo track and encodes it to mp3. Without
 * {@code --models} it measures the standard set and the fingerprint the pipeline adds to it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {ApiBenchCommand.class, PipelineBenchCommand.class},
        description = {"Measure decode and analyzer speed (x realtime, one core) and peak memory.",
                "`bench api` and `bench pipeline` measure the API and the analysis pipeline on a local stack."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*")
    List<Path> files = new ArrayList<>();

    @Option(names = "--models", split = ",", description = "Analyzers to measure (default: the standard set, and the "
            + "fingerprint the pipeline adds to it).")
    List<String> models;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per figure, after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--long", description = "Also analyze a 60-minute stereo mp3 with the standard set and report its peak memory.")
    boolean longTrack;

    @Option(names = "--core", defaultValue = "0", description = "CPU core to pin measurements to (default ${DEFAULT-VALUE}).")
    int core;

    @Override
    public Integer call() throws Exception {
        List<String> set = models == null || models.isEmpty() ? StandardAnalyzers.STANDARD_SET : models;
        Path work = Files.createTempDirectory("tonearm-bench");
        try {
            if (files.isEmpty()) files.add(renderMp3(work, 180, "bench-3min.mp3"));
            System.out.println(header());
            for (Path file : files) benchFile(file, set);
            if (longTrack) benchLong(work);
            return 0;
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    /**
     * Each analyzer alone, then the set together. By default (no {@code --models}) also the fingerprint, which the
     * pipeline adds to every recording's first analysis for the identify index, alone and with the standard set.
     */
    private void benchFile(Path file, List<String> set) throws Exception {
        AudioInfo info = Decoders.standard().probe(file);
        double duration = info.durationSeconds();
        System.out.printf(Locale.ROOT, "%n%s: %.1f s, %s %d Hz %d ch%n", file.getFileName(), duration, info.codec(),
                info.sampleRate(), info.channels());
        double ref = ffmpegDecodeSeconds(file);
        row("ffmpeg CLI decode (reference)", duration / ref, Double.NaN, 1.0);
        Measure decode = worker(file, "-");
        row("tonearm decode", duration / decode.seconds, decode.rssMb, ref / decode.seconds);
        boolean standard = set.equals(StandardAnalyzers.STANDARD_SET);
        List<String> alone = new ArrayList<>(set);
        if (standard) alone.add(FingerprintAnalyzer.NAME);
        for (String model : alone) together(file, duration, ref, model + " (alone, incl. decode)", model + " own cost", List.of(model));
        if (standard) {
            together(file, duration, ref, "standard set incl. decode", "standard set own cost", set);
            List<String> pipeline = new ArrayList<>(set);
            pipeline.add(FingerprintAnalyzer.NAME);
            together(file, duration, ref, "standard set + fingerprint incl. decode", "standard set + fingerprint own cost", pipeline);
        } else if (set.size() > 1) {
            together(file, duration, ref, "these models together incl. decode", "these models own cost", set);
        }
    }

    /** Two rows: {@code models} on one decode, then their own cost (the time inside analyzers and shared features). */
    private void together(Path file, double duration, double ref, String label, String ownLabel, List<String> models) throws Exception {
        Measure m = worker(file, String.join(",", models));
        row(label, duration / m.seconds, m.rssMb, ref / m.seconds);
        row("  " + ownLabel, duration / m.ownSeconds, Double.NaN, Double.NaN);
    }

    private void benchLong(Path work) throws Exception {
        Path three = work.resolve("bench-3min.wav");
        if (!Files.exists(three)) BenchTrack.writeWav(three, 180);
        Path hour = work.resolve("bench-60min.mp3");
        run(ffmpeg(List.of("-nostdin", "-v", "error", "-stream_loop", "19", "-i", three.toString(),
                "-b:a", "128k", "-y", hour.toString())), 600);
        int saved = runs;
        runs = 1;
        try {
            Measure m = worker(hour, String.join(",", StandardAnalyzers.STANDARD_SET));
            System.out.printf(Locale.ROOT, "%n60-minute stereo mp3, standard set: %.0f x realtime, peak RSS %.0f MB (target <= 512 MB)%n",
                    3600 / m.seconds, m.rssMb);
        } finally {
            runs = saved;
        }
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-40s %14s %12s %18s", "what", "x realtime", "peak RSS", "speed vs ffmpeg");
    }

    private static void row(String what, double xrt, double rssMb, double vsRef) {
        System.out.printf(Locale.ROOT, "%-40s %13.0fx %12s %18s%n", what, xrt,
                Double.isNaN(rssMb) ? "" : String.format(Locale.ROOT, "%.0f MB", rssMb),
                Double.isNaN(vsRef) ? "" : String.format(Locale.ROOT, "%.2f", vsRef));
    }

    /** Median wall seconds of one analysis, peak RSS, and median seconds spent inside analyzers (not decoding). */
    private record Measure(double seconds, double rssMb, double ownSeconds) {
    }

    private Measure worker(Path file, String selection) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(pin());
        cmd.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1",
                "-cp", System.getProperty("java.class.path"), BenchWorker.class.getName(),
                file.toString(), selection, Integer.toString(runs)));
        String out = run(new ProcessBuilder(cmd), 3600);
        String line = out.lines().filter(l -> l.startsWith("seconds=")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("bench worker printed no figure:\n" + out));
        String[] parts = line.split(" ");
        return new Measure(Double.parseDouble(parts[0].substring(8)), Double.parseDouble(parts[1].substring(7)),
                Double.parseDouble(parts[2].substring(12)));
    }

    private double ffmpegDecodeSeconds(Path file) throws Exception {
        ProcessBuilder cmd = ffmpeg(List.of("-nostdin", "-v", "error", "-i", file.toString(), "-f", "f32le", "-y", "/dev/null"));
        cmd.command().addAll(0, pin());
        run(cmd, 600);
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(cmd, 600);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private List<String> pin() {
        return Files.isExecutable(Path.of("/usr/bin/taskset")) ? List.of("/usr/bin/taskset", "-c", Integer.toString(core)) : List.of();
    }

    private Path renderMp3(Path dir, double seconds, String name) throws Exception {
        Path wav = dir.resolve("bench-3min.wav");
        BenchTrack.writeWav(wav, seconds);
        Path mp3 = dir.resolve(name);
        run(ffmpeg(List.of("-nostdin", "-v", "error", "-i", wav.toString(), "-b:a", "192k", "-y", mp3.toString())), 300);
        return mp3;
    }

    private static ProcessBuilder ffmpeg(List<String> args) {
        return FfmpegPrograms.bundled().ffmpeg(args);
    }

    private static String run(ProcessBuilder cmd, long timeoutSeconds) throws Exception {
        Process p = cmd.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd.command());
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd.command()) + " failed:\n" + text);
        return text;
    }
}
