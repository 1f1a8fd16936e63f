package io.tonearm.launcher.notebooks;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code jupyter nbconvert} as a child process: the notebooks' tests need it installed. */
final class Jupyter {
    /** The Debian packages the notebooks need (the same list as notebooks/README.md and .ci/run). */
    static final String PACKAGES =
            "jupyter-nbconvert python3-nbformat python3-ipykernel python3-pandas python3-matplotlib python3-requests";
    static final String SKIP_PROPERTY = "tonearm.notebooks.skip";

    record Run(int exit, String output) {
    }

    private Jupyter() {
    }

    /**
     * Fails, saying what to install, when jupyter nbconvert, a python3 kernel or the notebooks' libraries are missing
     * (found by executing a one-cell notebook that imports them, a few seconds); skips instead when
     * {@code -Dtonearm.notebooks.skip=true}.
     */
    static void require(Path scratch) throws IOException, InterruptedException {
        Assumptions.assumeFalse(Boolean.getBoolean(SKIP_PROPERTY), SKIP_PROPERTY + "=true: notebooks not executed");
        Path probe = Files.createDirectories(scratch).resolve("probe.ipynb");
        Files.writeString(probe, """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                  "source": ["import matplotlib, pandas, requests"]}],
                 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                 "nbformat": 4, "nbformat_minor": 4}
                """);
        String problem;
        try {
            Run run = run(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir",
                    scratch.toString(), "--output", "probe-executed", probe.toString()), scratch, Map.of(), 300);
            problem = run.exit() == 0 ? null : "jupyter nbconvert could not run a notebook that imports matplotlib, "
                    + "pandas and requests on a python3 kernel:\n" + tail(run.output());
        } catch (IOException e) {
            problem = "jupyter is not installed (" + e.getMessage() + ")";
        }
        if (problem != null) {
            throw new AssertionError("The notebooks' test needs Jupyter: " + problem + "\nInstall on Debian/Ubuntu: "
                    + "sudo apt-get install -y " + PACKAGES + "\n(or skip this test with -D" + SKIP_PROPERTY + "=true)");
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** {@code jupyter nbconvert --to notebook --execute} of {@code notebooks}, written to {@code outDir} only. */
    static Run execute(List<Path> notebooks, Path outDir, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=300", "--output-dir", outDir.toString()));
        notebooks.forEach(n -> command.add(n.toString()));
        return run(command, Notebooks.dir(), env, 900);
    }

    private static Run run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        // Read before waiting: a full pipe would block the child.
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
