package io.tonearm.api.identify;

import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.fingerprint.FingerprintRepository;
import io.tonearm.sinks.postgres.fingerprint.PostgresFingerprintIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Matches an indexed recording against the caller's catalog. The lookup is scoped to recordings that are assets of
 * the caller's account, in the query itself: another account's recording is never a candidate, so it can neither
 * appear in the answer nor push the caller's own matches out of the top {@value #MAX_MATCHES}. (Reporting foreign
 * matches anonymously would still tell the caller that someone else holds that recording; we report nothing.) The
 * query recording itself (same sha256, hence the same asset) is excluded.
 */
final class Identifier {

    static final String MODEL_VERSION = Integer.toString(new FingerprintAnalyzer().spec().version());
    static final int MAX_MATCHES = 10;

    /** One match as the API answers it. */
    record IdentifyMatch(UUID assetId, String sha256, double offsetSeconds, int score, double confidence) {
    }

    private final Database db;

    Identifier(Database db) {
        this.db = db;
    }

    List<IdentifyMatch> matches(Caller caller, Asset query) {
        return db.withConnection(c -> {
            Optional<Landmarks> landmarks = FingerprintRepository.landmarks(c, query.sha256());
            if (landmarks.isEmpty()) return List.of();
            PostgresFingerprintIndex index = new PostgresFingerprintIndex(c,
                    PostgresFingerprintIndex.Scope.ALL.ofAccount(caller.accountId()).excluding(query.sha256()));
            List<Matcher.Match> found = Matcher.standard().match(landmarks.get(), index, MAX_MATCHES);
            Map<String, UUID> assets = FingerprintRepository.assetsOf(c, caller.accountId(),
                    found.stream().map(Matcher.Match::recordingId).toList());
            List<IdentifyMatch> out = new ArrayList<>();
            for (Matcher.Match m : found) {
                UUID asset = assets.get(m.recordingId());
                if (asset == null) continue; // deleted since the lookup
                out.add(new IdentifyMatch(asset, m.recordingId(), m.offsetSeconds(), m.score(),
                        Math.round(m.confidence() * 1000) / 1000.0));
            }
            return out;
        });
    }
}
