package io.tonearm.launcher.ingest;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts an ingest run and shows it on stderr: a bar redrawn in place on a terminal (files, bytes, rate, ETA,
 * failures, then analysis jobs done and failed), else one plain line per interval, for logs.
 */
final class Progress implements AutoCloseable {
    final AtomicInteger filesDone = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong bytesSent = new AtomicLong();
    /** Analysis jobs known (requested now or in an earlier run), ended, and ended without a result. */
    final AtomicInteger jobsTotal = new AtomicInteger();
    final AtomicInteger jobsDone = new AtomicInteger();
    final AtomicInteger jobsFailed = new AtomicInteger();
    private final int filesTotal;
    private final long bytesTotal;
    private final PrintWriter err;
    private final boolean tty;
    private final long intervalMillis;
    private final long start = System.nanoTime();
    private final Thread renderer;
    private volatile boolean done;

    Progress(int filesTotal, long bytesTotal, PrintWriter err, boolean tty, long intervalMillis) {
        this.filesTotal = filesTotal;
        this.bytesTotal = bytesTotal;
        this.err = err;
        this.tty = tty;
        this.intervalMillis = intervalMillis;
        this.renderer = new Thread(this::render, "ingest-progress");
        renderer.setDaemon(true);
        renderer.start();
    }

    private void render() {
        while (!done) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (!done) {
                draw();
            }
        }
    }

    private synchronized void draw() {
        String line = line();
        if (tty) {
            err.print("\r" + line + "\u001B[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        long bytes = Math.max(0, bytesSent.get());
        double rate = bytes / seconds;
        double fraction = bytesTotal == 0 ? (filesTotal == 0 ? 1 : (double) filesDone.get() / filesTotal)
                : Math.min(1, (double) bytes / bytesTotal);
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = rate <= 0 || bytes >= bytesTotal ? "--:--" : clock((bytesTotal - bytes) / rate);
        String line = String.format(Locale.ROOT, "[%s] %d/%d files  %s/%s  %s/s  ETA %s  failed %d", bar, filesDone.get(),
                filesTotal, size(bytes), size(bytesTotal), size((long) rate), eta, failures.get());
        return jobsTotal.get() == 0 ? line : line + String.format(Locale.ROOT, "  |  jobs %d/%d done, %d failed",
                jobsDone.get(), jobsTotal.get(), jobsFailed.get());
    }

    /** A job reached a terminal status. */
    void jobFinished(Analyses.Job job) {
        jobsDone.incrementAndGet();
        if (!"succeeded".equals(job.status())) {
            jobsFailed.incrementAndGet();
        }
    }

    @Override
    public void close() {
        done = true;
        renderer.interrupt();
        try {
            renderer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        if (tty) {
            err.println();
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KB", "MB", "GB", "TB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
