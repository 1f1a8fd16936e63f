package io.tonearm.api.system;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * A small Prometheus registry: counters, histograms and gauges with labels, rendered in the text exposition
 * format (version 0.0.4). Enough for the API's few series without another dependency.
 */
public final class Metrics {

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, String> help = new ConcurrentSkipListMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> counters = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, Histogram>> histograms = new ConcurrentSkipListMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentSkipListMap<>();

    private static final class Histogram {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length);
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        void observe(double v) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (v <= BUCKETS[i]) {
                    counts.incrementAndGet(i);
                }
            }
            count.increment();
            sum.add(v);
        }
    }

    public void increment(String name, String helpText, long by, String... labels) {
        declare(name, helpText, "counter");
        counters.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(labels(labels), l -> new LongAdder()).add(by);
    }

    public void observe(String name, String helpText, double value, String... labels) {
        declare(name, helpText, "histogram");
        histograms.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(labels(labels), l -> new Histogram()).observe(value);
    }

    /** A gauge read at scrape time. */
    public void gauge(String name, String helpText, DoubleSupplier value) {
        declare(name, helpText, "gauge");
        gauges.put(name, value);
    }

    private void declare(String name, String helpText, String type) {
        help.putIfAbsent(name, helpText);
        types.putIfAbsent(name, type);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        for (String name : help.keySet()) {
            out.append("# HELP ").append(name).append(' ').append(help.get(name)).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(types.get(name)).append('\n');
            counters.getOrDefault(name, Map.of()).forEach((l, v) ->
                    out.append(name).append(l).append(' ').append(v.sum()).append('\n'));
            histograms.getOrDefault(name, Map.of()).forEach((l, h) -> {
                for (int i = 0; i < BUCKETS.length; i++) {
                    out.append(name).append("_bucket").append(withLe(l, Double.toString(BUCKETS[i]))).append(' ')
                            .append(h.counts.get(i)).append('\n');
                }
                out.append(name).append("_bucket").append(withLe(l, "+Inf")).append(' ').append(h.count.sum()).append('\n');
                out.append(name).append("_sum").append(l).append(' ').append(h.sum.sum()).append('\n');
                out.append(name).append("_count").append(l).append(' ').append(h.count.sum()).append('\n');
            });
            DoubleSupplier g = gauges.get(name);
            if (g != null) {
                double v;
                try {
                    v = g.getAsDouble();
                } catch (RuntimeException e) {
                    v = Double.NaN;
                }
                out.append(name).append(' ').append(v).append('\n');
            }
        }
        return out.toString();
    }

    private static String withLe(String labels, String le) {
        return labels.isEmpty() ? "{le=\"" + le + "\"}" : labels.substring(0, labels.length() - 1) + ",le=\"" + le + "\"}";
    }

    private static String labels(String... kv) {
        if (kv.length == 0) {
            return "";
        }
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
        return b.append('}').toString();
    }
}
