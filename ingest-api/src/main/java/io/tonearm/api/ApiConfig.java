package io.tonearm.api;

import io.tonearm.api.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one API replica.
 *
 * @param dataDir              blobs live in {@code dataDir/blobs}, multipart spill files in {@code dataDir/multipart}
 * @param limits               per-plan limits (requests per window, upload size)
 * @param probeAsyncAboveBytes uploads above this size are probed in the background (the answer says processing)
 */
public record ApiConfig(Path dataDir, Map<Plan, PlanLimits> limits, long probeAsyncAboveBytes) {

    public static final long GIB = 1L << 30;

    public ApiConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        limits = Map.copyOf(limits);
        for (Plan p : Plan.values()) {
            if (!limits.containsKey(p)) {
                throw new IllegalArgumentException("no limits for plan " + p.id());
            }
        }
        if (probeAsyncAboveBytes < 0) {
            throw new IllegalArgumentException("probeAsyncAboveBytes must be >= 0");
        }
    }

    /** 60 (basic) / 600 (pro) requests per minute, 4 GiB uploads, asynchronous probe above 200 MB. */
    public static ApiConfig defaults(Path dataDir) {
        Map<Plan, PlanLimits> limits = new EnumMap<>(Plan.class);
        limits.put(Plan.BASIC, new PlanLimits(60, Duration.ofMinutes(1), 4 * GIB));
        limits.put(Plan.PRO, new PlanLimits(600, Duration.ofMinutes(1), 4 * GIB));
        return new ApiConfig(dataDir, limits, 200L * 1000 * 1000);
    }

    public ApiConfig withLimits(Plan plan, PlanLimits planLimits) {
        Map<Plan, PlanLimits> copy = new EnumMap<>(limits);
        copy.put(plan, planLimits);
        return new ApiConfig(dataDir, copy, probeAsyncAboveBytes);
    }

    public ApiConfig withProbeAsyncAboveBytes(long bytes) {
        return new ApiConfig(dataDir, limits, bytes);
    }

    public PlanLimits limits(Plan plan) {
        return limits.get(plan);
    }

    long largestUpload() {
        return limits.values().stream().mapToLong(PlanLimits::maxUploadBytes).max().orElseThrow();
    }
}
