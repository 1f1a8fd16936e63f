package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.connector.file.src.FileSourceSplit;

import java.util.List;
import java.util.Map;

/**
 * The enumerator's checkpoint: every path seen with the version last emitted, and the splits discovered but not
 * yet handed to a reader. Splits a reader holds are in that reader's checkpoint.
 */
record ScanState(Map<String, FileVersion> known, List<FileSourceSplit> pending) {
    ScanState {
        known = Map.copyOf(known);
        pending = List.copyOf(pending);
    }
}
