package io.tonearm.events;

/**
 * Every Kafka topic Tonearm uses, in one place that producers and consumers both import.
 * Asset, request and completion records are keyed by the recording's SHA-256 (hex), so one recording's events stay in one partition and
 * the pipeline can {@code keyBy(sha256)} without repartitioning surprises.
 */
public final class Topics {

    /** {@link AssetEvent}: an account created or deleted its handle on a blob. */
    public static final String ASSETS = "tonearm.assets.v1";
    /** {@link AnalysisRequested}: an account asked for analyses of a recording. */
    public static final String REQUESTS = "tonearm.requests.v1";
    /**
     * {@link AnalysisCompleted} (the pipeline finished a request) and {@link IngestOutcome} (what became of an
     * ingest command), told apart by their {@code type} field ({@link EventCodec#resultType}); transactional, read
     * with read_committed. Outcomes are keyed by the command's idempotency key.
     */
    public static final String RESULTS = "tonearm.results.v1";
    /** {@link IngestCommand}: a label's system asks for a recording to be ingested (docs/ingest-topic.md). */
    public static final String INGEST = "tonearm.ingest.v1";

    private Topics() {
    }
}
