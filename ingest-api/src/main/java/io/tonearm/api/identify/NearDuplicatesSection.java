package io.tonearm.api.identify;

import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.api.assets.AssetSection;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.fingerprint.FingerprintRepository;

import java.util.List;
import java.util.UUID;

/**
 * {@code near_duplicates} of {@code GET /v1/assets/{id}}: the caller's other assets that are the same recording in
 * another encoding, as flagged when the later of the two was indexed (both directions). Read per request from
 * the pairs table, only pairs whose other side is an asset of the caller's account.
 */
public final class NearDuplicatesSection implements AssetSection {

    /** One near-duplicate: the other asset, aligned landmarks, where this asset starts in it. */
    record NearDuplicateView(UUID assetId, int score, double offsetSeconds) {
    }

    private final Database db;

    public NearDuplicatesSection(Database db) {
        this.db = db;
    }

    @Override
    public String field() {
        return "near_duplicates";
    }

    @Override
    public Object view(Caller caller, Asset asset) {
        List<FingerprintRepository.NearDuplicateAsset> found =
                db.withConnection(c -> FingerprintRepository.nearDuplicates(c, caller.accountId(), asset.sha256()));
        return found.stream().filter(d -> !d.assetId().equals(asset.id()))
                .map(d -> new NearDuplicateView(d.assetId(), d.score(), d.offsetSeconds())).toList();
    }
}
