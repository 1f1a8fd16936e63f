package io.tonearm.pipeline.analysis.coordinator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the coordinator remembers about one recording (keyed state, one instance per sha256). Kept small: result
 * identities and statuses (the envelopes are in PostgreSQL), the scalar summaries the search documents need, the
 * assets referencing the recording, and requests waiting for the blob's location. Every collection is bounded.
 * Stored through {@link RecordingStateSerializer}, which is versioned.
 */
final class RecordingState {

    static final int MAX_ASSETS = 1_000;
    static final int MAX_RECENT_REQUESTS = 64;
    static final int MAX_PENDING_REQUESTS = 256;

    /** {@code analyzer@version#paramsHash} → outcome. */
    final Map<String, ResultMark> results = new LinkedHashMap<>();
    /** analyzer name → JSON object of the newest succeeded result's scalar fields (for search documents). */
    final Map<String, String> summaries = new LinkedHashMap<>();
    /** asset id → the account's handle. */
    final Map<String, AssetRef> assets = new LinkedHashMap<>();
    /** Request ids already answered: a redelivered request is answered once. */
    final Deque<String> recentRequests = new ArrayDeque<>();
    /** Requests that arrived before any blob location was known (wire JSON), with when they arrived. */
    final List<PendingRequest> pending = new ArrayList<>();
    /** Where the bytes are, from the newest asset event or the blobs table. */
    String blobLocation;
    /** Decoded duration, once analyzed. */
    Double durationSeconds;
    /** Set when the recording cannot be decoded (a permanent condition): later requests fail at once. */
    Failure decodeFailure;

    /** A result's outcome; {@link #settled()} ones are not computed again for this recording. */
    record ResultMark(boolean succeeded, String error) {
        private static final String UNAVAILABLE = "model_unavailable: ";

        /** A failure of the installation (a model file missing), not of the recording: the next request tries again. */
        static ResultMark unavailable(String error) {
            return new ResultMark(false, UNAVAILABLE + error);
        }

        boolean settled() {
            return succeeded || error == null || !error.startsWith(UNAVAILABLE);
        }
    }

    /** True when this result is known for good (succeeded, or failed for a reason of the recording). */
    boolean settled(String resultKey) {
        ResultMark mark = results.get(resultKey);
        return mark != null && mark.settled();
    }

    record AssetRef(String accountId, String filename, String blobLocation, long createdAtMillis) {
    }

    /** @param retryAtMillis the processing-time timer that retries it (deleted when it is handled earlier) */
    record PendingRequest(String json, long arrivedAtMillis, long retryAtMillis) {
    }

    record Failure(String code, String message) {
    }

    boolean answered(String requestId) {
        return recentRequests.contains(requestId);
    }

    void markAnswered(String requestId) {
        recentRequests.addLast(requestId);
        while (recentRequests.size() > MAX_RECENT_REQUESTS) recentRequests.removeFirst();
    }

    void putAsset(String assetId, AssetRef ref) {
        assets.remove(assetId);
        assets.put(assetId, ref);
        while (assets.size() > MAX_ASSETS) assets.remove(assets.keySet().iterator().next());
    }

    boolean isEmpty() {
        return results.isEmpty() && assets.isEmpty() && pending.isEmpty() && recentRequests.isEmpty()
                && decodeFailure == null;
    }
}
