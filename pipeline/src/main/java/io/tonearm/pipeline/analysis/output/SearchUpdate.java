package io.tonearm.pipeline.analysis.output;

import java.time.Instant;
import java.util.Objects;

/**
 * What the search index should hold for one asset (document id = {@code assetId}); emitted when an asset
 * appears and whenever its recording gains results. Re-sending the same asset overwrites its document.
 *
 * @param summariesJson per analyzer name, the scalar fields of its newest succeeded result
 *                      ({@code {"bpm": {"tempo": 120.1, "confidence": 0.9}, "key": {"key": "A", "mode": "minor"}}})
 * @param deleted       the asset was deleted: remove its document
 */
public record SearchUpdate(String assetId, String accountId, String sha256, String filename, Instant createdAt,
                           Double durationSeconds, String summariesJson, boolean deleted) {

    public SearchUpdate {
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(sha256, "sha256");
    }
}
