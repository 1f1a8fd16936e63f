package io.tonearm.launcher.bench;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * How a burst's recordings fell on the analysis job's subtasks, and the rate while every subtask had work.
 * <p>
 * The job keys by sha256 and analyses on the keyed subtask, so a burst splits by hash, not by load: 24 recordings on
 * two subtasks fall 12/12 in one burst of six and 14/10 or worse in more than half, and such a burst ends with one
 * core analysing alone, which the bare runner's threads (one queue) never do. The rate while all subtasks still had
 * work (from the first recording done to the last one of the subtask that ran dry first) is free of that tail, so a
 * round's figures tell the split's share of a shortfall from the rest.
 *
 * @param perSubtask recordings per subtask, in subtask order
 */
record SubtaskSplit(int[] perSubtask, double saturatedSeconds, int saturatedDone) {

    /**
     * @param done        when each recording was done ({@code System.nanoTime()}), by sha256
     * @param parallelism the job's parallelism; its max parallelism is Flink's default for it (the job sets none)
     */
    static SubtaskSplit of(Map<String, Long> done, int parallelism) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        int[] counts = new int[parallelism];
        long[] last = new long[parallelism];
        Arrays.fill(last, Long.MIN_VALUE);
        for (Map.Entry<String, Long> e : done.entrySet()) {
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(e.getKey(), maxParallelism, parallelism);
            counts[subtask]++;
            last[subtask] = Math.max(last[subtask], e.getValue());
        }
        long first = done.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long firstDry = Arrays.stream(last).filter(t -> t != Long.MIN_VALUE).min().orElse(first);
        int within = (int) done.values().stream().filter(t -> t <= firstDry).count();
        return new SubtaskSplit(counts, (firstDry - first) / 1e9, within);
    }

    /** Recordings per minute while every subtask with recordings had work: empty when fewer than two were done by then. */
    OptionalDouble saturatedRate() {
        return saturatedDone < 2 || saturatedSeconds <= 0 ? OptionalDouble.empty()
                : OptionalDouble.of((saturatedDone - 1) * 60 / saturatedSeconds);
    }

    /** e.g. {@code 14/10}. */
    String label() {
        return Arrays.stream(perSubtask).mapToObj(Integer::toString).collect(Collectors.joining("/"));
    }
}
