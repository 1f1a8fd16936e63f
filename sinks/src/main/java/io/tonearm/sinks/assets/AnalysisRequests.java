package io.tonearm.sinks.assets;

import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AnalysisRequested.AnalyzerRequest;
import io.tonearm.events.Topics;
import io.tonearm.sinks.outbox.Outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A queued job's {@link AnalysisRequested} event, in the caller's transaction: for the API's endpoints and for
 * registrations outside it ({@link AssetRegistrar}) alike. It carries the asset's stored probe when one has settled
 * ({@link ProbeOutcome#stored}), read in this transaction, so the job decodes without probing the bytes again.
 */
public final class AnalysisRequests {

    private AnalysisRequests() {
    }

    public static void append(Outbox outbox, Connection c, UUID jobId, UUID accountId, UUID assetId, String sha256,
                              List<AnalyzerRequest> analyzers) throws SQLException {
        outbox.append(c, Topics.REQUESTS, sha256, new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, jobId, accountId,
                assetId, sha256, analyzers, Instant.now(), ProbeOutcome.stored(c, assetId).orElse(null)));
    }
}
