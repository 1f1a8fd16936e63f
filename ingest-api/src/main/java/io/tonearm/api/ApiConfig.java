package io.tonearm.api;

import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.api.renditions.RenditionSettings;
import io.tonearm.api.search.SearchSettings;
import io.tonearm.api.stream.StreamSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one API replica.
 *
 * @param dataDir              blobs live in {@code dataDir/blobs}, multipart spill files in {@code dataDir/multipart}
 * @param limits               per-plan limits (requests per window, upload size)
 * @param probeAsyncAboveBytes uploads above this size are probed in the background (the answer says processing)
 * @param publicBaseUrl        how clients reach this API (e.g. {@code https://api.example.com}), for presigned
 *                             upload URLs; null: taken from each request's Host
 * @param signingKeys          presigned-URL secrets, {@code "k2:BASE64,k1:BASE64"} (first is active); null: a
 *                             random key per process (URLs then work on this replica only, until it restarts)
 * @param urlAllowList         non-public hosts {@code method=url} may fetch from (e.g. {@code minio.internal:9000})
 * @param credits              monthly credit allowance per plan
 * @param stream               workers, queue, time budget and heartbeat of the SSE analysis stream
 * @param search               the Elasticsearch {@code GET /v1/search} reads; {@link SearchSettings#none()}: 503
 * @param renditions           workers, time budget and lease of the thumbnail and HLS renditions
 */
public record ApiConfig(Path dataDir, Map<Plan, PlanLimits> limits, long probeAsyncAboveBytes, String publicBaseUrl,
                        String signingKeys, List<String> urlAllowList, CreditPolicy credits,
                        StreamSettings stream, SearchSettings search, RenditionSettings renditions) {

    public static final long GIB = 1L << 30;

    public ApiConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        limits = Map.copyOf(limits);
        urlAllowList = List.copyOf(urlAllowList);
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(renditions, "renditions");
        for (Plan p : Plan.values()) {
            if (!limits.containsKey(p)) {
                throw new IllegalArgumentException("no limits for plan " + p.id());
            }
        }
        if (probeAsyncAboveBytes < 0) {
            throw new IllegalArgumentException("probeAsyncAboveBytes must be >= 0");
        }
    }

    /**
     * 60 (basic) / 600 (pro) requests per minute, 4 GiB uploads, asynchronous probe above 200 MB, 1000 (basic) /
     * 20000 (pro) credits a month, {@link StreamSettings#defaults()}.
     */
    public static ApiConfig defaults(Path dataDir) {
        Map<Plan, PlanLimits> limits = new EnumMap<>(Plan.class);
        limits.put(Plan.BASIC, new PlanLimits(60, Duration.ofMinutes(1), 4 * GIB));
        limits.put(Plan.PRO, new PlanLimits(600, Duration.ofMinutes(1), 4 * GIB));
        return new ApiConfig(dataDir, limits, 200L * 1000 * 1000, null, null, List.of(), CreditPolicy.defaults(),
                StreamSettings.defaults(), SearchSettings.none(), RenditionSettings.defaults());
    }

    public ApiConfig withLimits(Plan plan, PlanLimits planLimits) {
        Map<Plan, PlanLimits> copy = new EnumMap<>(limits);
        copy.put(plan, planLimits);
        return new ApiConfig(dataDir, copy, probeAsyncAboveBytes, publicBaseUrl, signingKeys, urlAllowList, credits,
                stream, search, renditions);
    }

    public ApiConfig withProbeAsyncAboveBytes(long bytes) {
        return new ApiConfig(dataDir, limits, bytes, publicBaseUrl, signingKeys, urlAllowList, credits, stream, search, renditions);
    }

    public ApiConfig withPublicBaseUrl(String url) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, url, signingKeys, urlAllowList, credits, stream, search, renditions);
    }

    public ApiConfig withSigningKeys(String keys) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, keys, urlAllowList, credits, stream, search, renditions);
    }

    public ApiConfig withUrlAllowList(List<String> entries) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, signingKeys, entries, credits,
                stream, search, renditions);
    }

    public ApiConfig withCredits(CreditPolicy policy) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, signingKeys, urlAllowList, policy,
                stream, search, renditions);
    }

    public ApiConfig withStream(StreamSettings settings) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, signingKeys, urlAllowList, credits,
                settings, search, renditions);
    }

    public ApiConfig withSearch(SearchSettings settings) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, signingKeys, urlAllowList, credits,
                stream, settings, renditions);
    }

    public ApiConfig withRenditions(RenditionSettings settings) {
        return new ApiConfig(dataDir, limits, probeAsyncAboveBytes, publicBaseUrl, signingKeys, urlAllowList, credits,
                stream, search, settings);
    }

    public PlanLimits limits(Plan plan) {
        return limits.get(plan);
    }

    long largestUpload() {
        return limits.values().stream().mapToLong(PlanLimits::maxUploadBytes).max().orElseThrow();
    }
}
