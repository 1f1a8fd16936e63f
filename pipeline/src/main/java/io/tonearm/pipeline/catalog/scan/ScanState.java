package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.connector.file.src.FileSourceSplit;

import java.util.List;
import java.util.Map;

/**
 * The enumerator's checkpoint.
 *
 * @param known      every path emitted, with the version emitted
 * @param pending    paths seen by the last listing in a version not emitted yet (new, changed, or still being
 *                   written): emitted when the next listing sees the same version
 * @param unassigned splits emitted but not yet handed to a reader (splits a reader holds are in its checkpoint)
 */
record ScanState(Map<String, FileVersion> known, Map<String, FileVersion> pending, List<FileSourceSplit> unassigned) {
    ScanState {
        known = Map.copyOf(known);
        pending = Map.copyOf(pending);
        unassigned = List.copyOf(unassigned);
    }

    static ScanState empty() {
        return new ScanState(Map.of(), Map.of(), List.of());
    }
}
