package io.tonearm.sinks.postgres.fingerprint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;

import java.util.Objects;

/**
 * A recording's landmarks on their way to the index: what the pipeline emits once per fingerprinted recording. A
 * record of plain fields (arrays of int), so Flink serializes it without Kryo.
 *
 * @param sha256 the recording
 * @param format the {@link LandmarkFormat}'s id; a recording indexed under another format is re-indexed in this one
 * @param frames frames analysed (duration × {@link Landmarks#FRAME_RATE})
 * @param hashes landmark hashes, parallel to {@code times}
 * @param times  anchor times in frames
 */
public record RecordingLandmarks(String sha256, String format, int frames, int[] hashes, int[] times) {

    public RecordingLandmarks {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(format, "format");
        if (hashes.length != times.length) throw new IllegalArgumentException(hashes.length + " hashes, " + times.length + " times");
    }

    /** Landmarks in the format their hashes are marked with. */
    public static RecordingLandmarks of(String sha256, Landmarks landmarks) {
        return of(sha256, LandmarkFormat.of(landmarks), landmarks);
    }

    public static RecordingLandmarks of(String sha256, LandmarkFormat format, Landmarks landmarks) {
        return new RecordingLandmarks(sha256, format.id(), landmarks.frames(), landmarks.hashes(), landmarks.times());
    }

    /** The landmarks of a {@code fingerprint} result envelope. */
    public static RecordingLandmarks of(String sha256, Envelope fingerprint) {
        Landmarks.Packed packed = ((FingerprintAnalyzer.Result) fingerprint.results()).landmarks();
        return of(sha256, LandmarkFormat.byId(packed.format()), packed.unpack());
    }

    /** The envelope to store as the result row: without the packed landmarks, which live in the index. */
    public static Envelope withoutLandmarks(Envelope fingerprint) {
        ObjectNode results = Json.mapper().valueToTree(fingerprint.results());
        results.remove("landmarks");
        return new Envelope(fingerprint.modelName(), fingerprint.modelVersion(), results, fingerprint.provenance());
    }

    public Landmarks landmarks() {
        return new Landmarks(hashes, times, frames);
    }
}
