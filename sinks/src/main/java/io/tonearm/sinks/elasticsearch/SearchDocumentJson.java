package io.tonearm.sinks.elasticsearch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The stored form of a {@link SearchDocument}: snake_case, nulls left out (so a partial document never erases a
 * stored field), times as ISO-8601. Fields this version does not know are kept by the merge, ignored on read.
 */
final class SearchDocumentJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SearchDocumentJson() {
    }

    static ObjectNode toJson(SearchDocument doc) {
        return MAPPER.valueToTree(doc);
    }

    static SearchDocument fromJson(JsonNode source) {
        try {
            return MAPPER.treeToValue(source, SearchDocument.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a search document: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code stored} overlaid with {@code partial}'s fields, {@code features} recomputed from the result: the
     * merge the sink applies per asset.
     */
    static ObjectNode merge(JsonNode stored, ObjectNode partial) {
        ObjectNode merged = stored != null && stored.isObject() ? ((ObjectNode) stored).deepCopy() : MAPPER.createObjectNode();
        merged.setAll(partial);
        merged.remove("features");
        merged.remove("features_version");
        SearchDocument doc = fromJson(merged).withFeatures();
        if (doc.features() != null) {
            merged.set("features", MAPPER.valueToTree(doc.features()));
            merged.put("features_version", doc.featuresVersion());
        }
        return merged;
    }
}
