package io.tonearm.api.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tonearm.sinks.elasticsearch.SearchDocument;

import java.time.Instant;
import java.util.List;

/**
 * One asset in a search answer: the fields of its search document clients filter and sort on (the same names as
 * the analysis results they come from). {@code score} only in {@code similar_to} answers: Elasticsearch's cosine
 * score, {@code (1 + cosine) / 2}, 1 for identical features.
 */
record SearchItem(String assetId, String filename, String sha256, Double duration, Double tempo, String key,
                  String mode, String keyCamelot, Double integratedLufs, Double loudnessRange, Double truePeakDbtp,
                  List<String> chords, Instant createdAt,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Double score) {

    static SearchItem of(SearchDocument d, Double score) {
        return new SearchItem(d.assetId(), d.filename(), d.sha256(), d.duration(), d.tempo(), d.key(), d.mode(),
                d.keyCamelot(), d.integratedLufs(), d.loudnessRange(), d.truePeakDbtp(), d.chords(), d.createdAt(), score);
    }
}
