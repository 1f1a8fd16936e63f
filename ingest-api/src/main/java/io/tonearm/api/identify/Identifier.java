package io.tonearm.api.identify;

import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.fingerprint.FingerprintRepository;
import io.tonearm.sinks.postgres.fingerprint.PostgresFingerprintIndex;

import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>The query is matched in the format it is indexed in and, while the caller's catalog still holds recordings
 * indexed in another format ({@link LandmarkFormat}), also in that one ({@link QueryLandmarks}); each recording keeps
 * its best match.
 */
final class Identifier {

    static final String MODEL_VERSION = Integer.toString(new FingerprintAnalyzer().spec().version());
    static final int MAX_MATCHES = 10;

    /** One match as the API answers it. */
    record IdentifyMatch(UUID assetId, String sha256, double offsetSeconds, int score, double confidence) {
    }

    private final Database db;
    private final QueryLandmarks otherFormats;

    Identifier(Database db, QueryLandmarks otherFormats) {
        this.db = db;
        this.otherFormats = otherFormats;
    }

    /** The query's indexed landmarks and the other formats the caller's catalog still holds recordings in. */
    private record Query(Landmarks indexed, List<LandmarkFormat> otherFormatsHeld) {
    }

    List<IdentifyMatch> matches(Caller caller, Asset query) {
        Optional<Query> read = db.withConnection(c -> {
            Optional<Landmarks> indexed = FingerprintRepository.landmarks(c, query.sha256());
            if (indexed.isEmpty()) return Optional.<Query>empty();
            List<LandmarkFormat> held = new ArrayList<>();
            for (LandmarkFormat other : LandmarkFormat.values()) {
                if (other != LandmarkFormat.of(indexed.get()) && FingerprintRepository.accountHolds(c, caller.accountId(), other)) {
                    held.add(other);
                }
            }
            return Optional.of(new Query(indexed.get(), held));
        });
        if (read.isEmpty()) return List.of();
        List<Landmarks> queries = new ArrayList<>(List.of(read.get().indexed()));
        // outside any connection: this decodes the query
        for (LandmarkFormat other : read.get().otherFormatsHeld()) otherFormats.of(query.sha256(), other).ifPresent(queries::add);
        return db.withConnection(c -> {
            PostgresFingerprintIndex index = new PostgresFingerprintIndex(c,
                    PostgresFingerprintIndex.Scope.ALL.ofAccount(caller.accountId()).excluding(query.sha256()));
            List<Matcher.Match> found = best(queries.stream()
                    .flatMap(q -> Matcher.standard().match(q, index, MAX_MATCHES).stream()).toList());
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

    /** Each recording once with its best match (it aligns only with a query in its own format), best first. */
    private static List<Matcher.Match> best(List<Matcher.Match> all) {
        Map<String, Matcher.Match> byRecording = new java.util.HashMap<>();
        for (Matcher.Match m : all) byRecording.merge(m.recordingId(), m, (a, b) -> a.score() >= b.score() ? a : b);
        return byRecording.values().stream()
                .sorted(Comparator.comparingInt(Matcher.Match::score).reversed().thenComparing(Matcher.Match::recordingId))
                .limit(MAX_MATCHES).toList();
    }
}
