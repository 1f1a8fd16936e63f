package io.tonearm.launcher.up;

import io.tonearm.pipeline.catalog.CatalogScanJob;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before {@code up} resumes from a checkpoint or savepoint: the state in it that the job graph about to run leaves
 * unclaimed must be state this release may drop. Flink drops either all unclaimed state or none
 * ({@code execution.state-recovery.ignore-unclaimed-state}): none would refuse the savepoints that still hold a removed
 * sink's state; all would let a renamed uid lose the Kafka offsets (commands answered again), the coordinator's results
 * (recordings analyzed again) or the scan's known files (files read again) without a word. So the restore point's
 * operators are matched against the graph's as Flink matches them (by operator id, generated or user-given), and any
 * state left over must be named in {@link #droppable}.
 */
final class RestoreClaims {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreClaims.class);

    /** Operators earlier releases had and this one dropped, by uid, with why their state may go. */
    private static final Map<String, String> RETIRED = Map.of(
            "results-postgres", "a stateless JDBC sink of an earlier release (the ordered PostgreSQL sink replaced it)",
            "jobs-postgres", "a stateless JDBC sink of an earlier release (the ordered PostgreSQL sink replaced it)");
    /** The uid Flink gives a sink's committer, from the sink's (as the savepoints show). */
    private static final String SINK_COMMITTER_UID = "Sink Committer: %s";
    private static final String SCAN_OFF = "the catalog scan is off (no --watch): its known files and the files waiting "
            + "for credits are dropped; a later --watch reads every file again once (the ones registered before are known, "
            + "nothing is charged twice)";

    private RestoreClaims() {
    }

    /**
     * The state that may be left unclaimed, by uid, with why: the retired operators', and the catalog scan's when
     * {@code up} runs without it.
     */
    static Map<String, String> droppable(boolean scanning) {
        Map<String, String> droppable = new LinkedHashMap<>(RETIRED);
        if (!scanning) {
            CatalogScanJob.UIDS.forEach(uid -> droppable.put(uid, SCAN_OFF));
        }
        return droppable;
    }

    /**
     * Checks that {@code graph} claims every operator state of {@code restorePoint} that holds anything, except what
     * {@code droppable} names (a sink's committer counts as the sink), and logs what is dropped.
     *
     * @param flinkDir where {@code up} keeps its restore points, for the message
     * @return the uids of the state that is dropped
     * @throws IllegalStateException when other state would be left unclaimed, saying what and what to do
     */
    static List<String> check(Path restorePoint, Path flinkDir, JobGraph graph, Map<String, String> droppable) throws IOException {
        Set<OperatorID> claimed = new HashSet<>();
        for (JobVertex vertex : graph.getVertices()) {
            for (OperatorIDPair ids : vertex.getOperatorIDs()) {
                claimed.add(ids.getGeneratedOperatorID());
                ids.getUserDefinedOperatorID().ifPresent(claimed::add);
            }
        }
        List<String> dropped = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (OperatorState state : metadata(restorePoint).getOperatorStates()) {
            if (claimed.contains(state.getOperatorID()) || !holdsState(state)) {
                continue; // restored, or nothing to lose (Flink skips empty state itself)
            }
            Optional<String> uid = state.getOperatorUid().filter(u -> !u.isBlank());
            Optional<String> reason = uid.flatMap(u -> reason(u, droppable));
            String label = uid.orElse("operator id " + state.getOperatorID()) + state.getOperatorName().map(n -> " (" + n + ")").orElse("");
            if (reason.isPresent()) {
                LOG.info("resuming without the state of {}: {}", label, reason.get());
                dropped.add(uid.get());
            } else {
                lost.add(label);
            }
        }
        if (!lost.isEmpty()) {
            throw new IllegalStateException("the analysis job cannot resume from " + restorePoint + ": it holds state that no "
                    + "operator of this version's job graph claims: " + String.join(", ", lost) + ". Resuming without it would "
                    + "lose it silently (Kafka offsets: records read and answered again; the coordinator's results: recordings "
                    + "analyzed again; the catalog scan's known files: files read again). Run the release that wrote it, or one "
                    + "that still has these operators; to start without any of the job's state instead, move " + flinkDir
                    + " aside and start again (README.md, \"Resuming after an upgrade\").");
        }
        return dropped;
    }

    private static CheckpointMetadata metadata(Path restorePoint) throws IOException {
        try (InputStream in = Files.newInputStream(restorePoint.resolve("_metadata"))) {
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), RestoreClaims.class.getClassLoader(),
                    restorePoint.toUri().toString());
        }
    }

    private static boolean holdsState(OperatorState state) {
        return state.getCoordinatorState() != null || state.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
    }

    /** Why the state under {@code uid} may go: its own entry, or its sink's (a sink's committer has a uid of its own). */
    private static Optional<String> reason(String uid, Map<String, String> droppable) {
        return droppable.entrySet().stream()
                .filter(e -> uid.equals(e.getKey()) || uid.equals(SINK_COMMITTER_UID.formatted(e.getKey())))
                .map(Map.Entry::getValue).findFirst();
    }
}
