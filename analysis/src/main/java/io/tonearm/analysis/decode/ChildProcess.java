package io.tonearm.analysis.decode;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One ffmpeg/ffprobe child: stderr drained apart, a watchdog that kills it when its wall-clock budget runs out
 * (so a blocked read of its stdout returns), and {@link #close()} that kills it for certain. A child is never
 * left behind: if this JVM dies instead, the child's next write to the broken pipe ends it. Public so that
 * other ffmpeg runs (the API's HLS renditions) are bounded the same way.
 */
public final class ChildProcess implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ffmpeg-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final StderrTail stderr;
    private final ScheduledFuture<?> watchdog;
    private final AtomicBoolean timedOut = new AtomicBoolean();

    private ChildProcess(Process process, String name, Duration budget) {
        this.process = process;
        this.stderr = new StderrTail(process.getErrorStream(), name + "-stderr-" + process.pid());
        this.watchdog = WATCHDOG.schedule(() -> {
            timedOut.set(true);
            process.destroyForcibly();
        }, Math.max(1, budget.toMillis()), TimeUnit.MILLISECONDS);
    }

    public static ChildProcess start(ProcessBuilder builder, String name, Duration budget) throws IOException {
        return new ChildProcess(builder.start(), name, budget);
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    StderrTail stderr() {
        return stderr;
    }

    /** The child's last stderr line without ffmpeg's prefixes (after {@link #awaitExit}); null if it said nothing. */
    public String lastErrorLine() {
        return stderr.lastLine();
    }

    public boolean timedOut() {
        return timedOut.get();
    }

    /** Waits for the child to exit (the watchdog bounds it) and for its stderr to be drained; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        int code = process.waitFor();
        watchdog.cancel(false);
        stderr.await(2000);
        return code;
    }

    @Override
    public void close() {
        watchdog.cancel(false);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
