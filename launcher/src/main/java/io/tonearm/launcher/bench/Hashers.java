package io.tonearm.launcher.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The references an upload is measured against: {@code sha256sum} and {@code openssl dgst -sha256} reading the same
 * files, timed in the same run (the upload hashes while it streams, so hashing is its floor).
 */
final class Hashers {
    private Hashers() {
    }

    /** Seconds {@code program} takes to hash every file in one process, or NaN when it is not installed. */
    static double seconds(List<String> program, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(program);
        files.forEach(f -> cmd.add(f.toString()));
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException notInstalled) {
            return Double.NaN;
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd.get(0));
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", program) + " failed with " + p.exitValue());
        return (System.nanoTime() - t0) / 1e9;
    }

    static final List<String> SHA256SUM = List.of("sha256sum");
    static final List<String> OPENSSL = List.of("openssl", "dgst", "-sha256");
}
