package io.tonearm.launcher.bench;

import io.tonearm.localstack.PostgresServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU seconds the stack has used, by part: the analysis job's coordinator threads (where the light analyses run), its
 * PostgreSQL sink threads, the API's request threads and outbox relay, the in-process Kafka broker, the bench's own
 * HTTP clients, this JVM's JIT compiler and garbage collector threads, the rest of this JVM (Flink's runtime, sources
 * and other sinks, background work), the programs this JVM ran
 * and waited for (ffmpeg and ffprobe), and the PostgreSQL and Elasticsearch processes it started. Differences of two
 * snapshots divided by the recordings done between them say where a recording's cost goes, in a form a busy machine
 * moves far less than it moves throughput: CPU time counts the work, not the waiting for a core.
 * <p>
 * Read from {@code /proc} (Linux): a process's own time plus what its reaped children used, summed over this JVM's
 * live descendants and the postmaster's, so a PostgreSQL backend that has exited is counted once, in the postmaster.
 * Empty elsewhere.
 */
final class CpuShares {

    static final String ANALYSIS = "analysis threads";
    static final String SINK = "postgres sink";
    static final String API = "API (HTTP, outbox)";
    static final String KAFKA = "Kafka broker";
    static final String CLIENTS = "bench HTTP clients";
    static final String JIT = "JIT compiler";
    static final String GC = "GC";
    static final String JVM_OTHER = "rest of JVM";
    static final String CHILDREN = "ffmpeg/ffprobe";
    static final String POSTGRES = "PostgreSQL";
    static final String ELASTICSEARCH = "Elasticsearch";
    static final String OTHER = "other processes";
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture the JDK runs on

    private final Map<String, Double> seconds;

    private CpuShares(Map<String, Double> seconds) {
        this.seconds = seconds;
    }

    /**
     * Now, or empty where {@code /proc} or thread CPU times are not available. {@code postgresData}: the data
     * directory of the stack's PostgreSQL, whose postmaster pg_ctl detached from this JVM (null: none).
     */
    static Optional<CpuShares> now(Path postgresData) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Optional<long[]> self = ticks(ProcessHandle.current().pid());
        if (self.isEmpty() || !threads.isThreadCpuTimeSupported()) return Optional.empty();
        Map<String, Double> s = new LinkedHashMap<>();
        for (String part : List.of(ANALYSIS, SINK, API, KAFKA, CLIENTS)) s.put(part, 0.0);
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) continue;
            long nanos = threads.getThreadCpuTime(t.getThreadId());
            String part = javaPart(t.getThreadName());
            if (nanos >= 0 && part != null) s.merge(part, nanos / 1e9, Double::sum);
        }
        long[] own = self.get();
        Map<String, Double> vm = vmThreadSeconds();
        s.put(JIT, vm.getOrDefault(JIT, 0.0));
        s.put(GC, vm.getOrDefault(GC, 0.0));
        double named = s.values().stream().mapToDouble(Double::doubleValue).sum(); // this JVM's threads with a part of their own
        s.put(JVM_OTHER, (own[0] + own[1]) / TICKS_PER_SECOND - named);
        s.put(CHILDREN, (own[2] + own[3]) / TICKS_PER_SECOND);
        s.put(POSTGRES, 0.0);
        s.put(ELASTICSEARCH, 0.0);
        s.put(OTHER, 0.0);
        ProcessHandle.current().descendants().forEach(p -> add(s, p,
                p.info().commandLine().orElse("").contains("elasticsearch") ? ELASTICSEARCH : OTHER));
        Optional<ProcessHandle> postmaster = postgresData == null ? Optional.empty() : PostgresServer.postmaster(postgresData);
        postmaster.ifPresent(pm -> {
            add(s, pm, POSTGRES);
            pm.descendants().forEach(backend -> add(s, backend, POSTGRES));
        });
        return Optional.of(new CpuShares(s));
    }

    /** Kafka's broker threads (KRaft, combined mode); its clients' threads ({@code kafka-producer-…}) are not among them. */
    private static final Pattern KAFKA_BROKER = Pattern.compile("(data-plane-kafka|kafka-\\d+-|kafka-scheduler|quorum-controller"
            + "|TxnMarkerSenderThread|AddPartitionsToTxnSenderThread|transaction-log-manager|group-coordinator|ExpirationReaper"
            + "|executor-[A-Z]|broker-\\d+-|LogDirFailureHandler).*");

    /** The part a Java thread's CPU belongs to, by the name its library gives it; null for the rest of the JVM. */
    static String javaPart(String name) {
        // Flink names a task's thread after its chain: "recording-coordinator -> search: Writer (1/2)#0"
        if (name.startsWith("recording-coordinator")) return ANALYSIS;
        if (name.startsWith("postgres: Writer")) return SINK;
        if (name.startsWith("JettyServerThreadPool") || name.startsWith("outbox-relay")) return API;
        if (KAFKA_BROKER.matcher(name).matches()) return KAFKA;
        if (name.startsWith("HttpClient-")) return CLIENTS; // java.net.http: the bench's uploads and requests
        return null;
    }

    /**
     * CPU seconds of this JVM's live JIT compiler and GC threads, by {@link #JIT} and {@link #GC}, in one pass over
     * its native threads by name (Linux keeps 15 characters): the JVM's own threads, which ThreadMXBean does not list.
     * A compiler thread the JVM has retired takes its time with it, so these are lower bounds; the remainder stays in
     * the rest of the JVM.
     */
    private static Map<String, Double> vmThreadSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                String part;
                try {
                    part = vmPart(Files.readString(task.resolve("comm")).strip());
                } catch (IOException e) {
                    return; // the thread ended
                }
                if (part != null) {
                    ticks(task.resolve("stat")).ifPresent(t -> seconds.merge(part, (t[0] + t[1]) / TICKS_PER_SECOND, Double::sum));
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /** {@link #JIT}, {@link #GC} or null for a native thread name. */
    private static String vmPart(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) return JIT;
        // the serial collector runs in the VM thread; the parallel ones in "GC Thread#n" and their own helpers
        if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) return GC;
        return null;
    }

    private static void add(Map<String, Double> s, ProcessHandle p, String part) {
        ticks(p.pid()).ifPresent(t -> s.merge(part, (t[0] + t[1] + t[2] + t[3]) / TICKS_PER_SECOND, Double::sum));
    }

    /** CPU seconds per part used since {@code before}, divided by {@code recordings}, in a fixed order. */
    Map<String, Double> perRecordingSince(CpuShares before, int recordings) {
        Map<String, Double> out = new LinkedHashMap<>();
        seconds.forEach((part, s) -> out.put(part, Math.max(0, s - before.seconds.getOrDefault(part, 0.0)) / recordings));
        return out;
    }

    /** utime, stime, cutime, cstime of {@code pid} in clock ticks; empty when unreadable (gone, or not Linux). */
    private static Optional<long[]> ticks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The same from a {@code stat} file of a process or of one of its threads ({@code /proc/PID/task/TID/stat}). */
    private static Optional<long[]> ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // the command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
