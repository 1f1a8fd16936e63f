package io.tonearm.api;

import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.sinks.postgres.fingerprint.LandmarkIndexing;
import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;

import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.ReferenceResolver;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.EventCodec;
import io.tonearm.events.Topics;
import io.tonearm.sinks.postgres.BlobLocations;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.JobTransition;
import io.tonearm.sinks.postgres.JobTransitionUpsert;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;
import io.tonearm.sinks.postgres.ResultUpsert;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Flink analysis job does for a request, without Flink (ingest-api must not depend on it): takes the
 * API's {@link AnalysisRequested} events from the outbox, runs the REAL analyzers on the stored blob with the
 * analysis module's runner, and writes the outcome with the sinks module's own statements
 * ({@link ResultUpsert}, {@link JobTransitionUpsert}) in the shapes the pipeline writes. The real job on a
 * MiniCluster is exercised end to end in the launcher module's tests.
 */
public final class PipelineStandIn {

    private final Database db;
    private final AnalyzerRegistry registry;
    private final AnalysisRunner runner;
    private long lastOutboxId;

    public PipelineStandIn(Database db) {
        this(db, OutputStore.NONE);
    }

    /** @param outputs where heavy analyzers' files go (the pipeline writes them into the blob store) */
    public PipelineStandIn(Database db, OutputStore outputs) {
        this(db, outputs, StandardAnalyzers.registry());
    }

    /** @param registry the analyzers this pipeline runs (e.g. ones given their own models directory) */
    public PipelineStandIn(Database db, OutputStore outputs, AnalyzerRegistry registry) {
        this.db = db;
        this.registry = registry;
        this.runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1), outputs);
    }

    /** Requests written to the outbox since the last call, oldest first. */
    public synchronized List<AnalysisRequested> newRequests() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, payload::text FROM outbox WHERE topic = ? AND id > ? ORDER BY id")) {
                ps.setString(1, Topics.REQUESTS);
                ps.setLong(2, lastOutboxId);
                List<AnalysisRequested> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastOutboxId = rs.getLong(1);
                        out.add(EventCodec.decodeAnalysisRequested(rs.getString(2).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
        });
    }

    public void markRunning(AnalysisRequested r) {
        transition(r, JobStatus.RUNNING, null, null);
    }

    /** A recording's file, from the blobs table. */
    private Optional<Path> blob(String sha256) {
        return db.withConnection(c -> BlobLocations.find(c, sha256)).map(location -> Path.of(URI.create(location)));
    }

    /** Runs the requested analyzers on the recording and records results and the terminal status. */
    public void complete(AnalysisRequested r) throws Exception {
        markRunning(r);
        List<Selection> selections = new ArrayList<>();
        ReferenceResolver references = new ReferenceResolver(this::blob); // as the pipeline: a reference's sha256 to its file
        for (AnalysisRequested.AnalyzerRequest a : r.analyzers()) {
            selections.add(references.resolve(
                    registry.select(a.version() == null ? a.name() : a.name() + ":" + a.version(), a.params())));
        }
        AnalysisReport report = runner.analyze(blob(r.sha256()).orElseThrow(), r.sha256(), selections);
        Map<String, Object> refs = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<String> failedNames = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < selections.size(); i++) {
            Selection s = selections.get(i);
            Envelope e = report.results().get(s.key());
            if (e != null && s.analyzer().spec().name().equals("fingerprint")) {
                // as the pipeline does: landmarks into the index, the result row keeps the counts
                RecordingLandmarks landmarks = RecordingLandmarks.of(r.sha256(), e);
                db.inTransaction(c -> LandmarkIndexing.index(c, landmarks, NearDuplicate.STANDARD));
                e = RecordingLandmarks.withoutLandmarks(e);
            }
            String error = e != null ? null : report.error() != null ? report.error().message()
                    : report.failures().get(s.key()).message();
            ResultRow row = new ResultRow(r.sha256(), s.analyzer().spec().name(), s.analyzer().spec().version(),
                    s.params().hash(), json(s.params().asMap()), e == null ? null : json(e),
                    e == null ? ResultStatus.FAILED : ResultStatus.SUCCEEDED, error, now);
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(ResultUpsert.SQL)) {
                    ResultUpsert.bind(ps, row);
                    return ps.executeUpdate();
                }
            });
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("analyzer", row.analyzer());
            ref.put("version", row.version());
            ref.put("params_hash", row.paramsHash());
            ref.put("status", row.status().sql());
            ref.put("error", error);
            refs.put(s.key(), ref);
            if (error != null) {
                failed.add(row.analyzer() + ": " + error);
                failedNames.add(r.analyzers().get(i).name());
            }
        }
        boolean succeeded = r.succeedsDespite(failedNames); // the pipeline's rule: optional analyzers may fail
        transition(r, succeeded ? JobStatus.SUCCEEDED : JobStatus.FAILED,
                succeeded ? null : "analyzers failed: " + String.join("; ", failed),
                json(Map.of("sha256", r.sha256(), "results", refs)));
    }

    /** Fails the request as the pipeline does for a recording it cannot use. */
    public void fail(AnalysisRequested r, String error) {
        transition(r, JobStatus.FAILED, error, json(Map.of("sha256", r.sha256(), "results", Map.of())));
    }

    /** Completes every new request, until {@code stop} returns true; for the synchronous-answer tests. */
    public Thread runInBackground(java.util.function.BooleanSupplier stop) {
        Thread t = new Thread(() -> {
            while (!stop.getAsBoolean()) {
                try {
                    for (AnalysisRequested r : newRequests()) {
                        complete(r);
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "pipeline-stand-in");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void transition(AnalysisRequested r, JobStatus status, String error, String resultJson) {
        JobTransition t = new JobTransition(r.requestId().toString(), r.accountId().toString(),
                r.assetId() == null ? null : r.assetId().toString(), r.sha256(), status, error,
                json(r.analyzers()), resultJson, Instant.now());
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(JobTransitionUpsert.SQL)) {
                JobTransitionUpsert.bind(ps, t);
                return ps.executeUpdate();
            }
        });
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
