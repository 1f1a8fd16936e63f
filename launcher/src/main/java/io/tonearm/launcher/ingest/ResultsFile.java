package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --out}: one record per file, as JSON lines ({@code {file, sha256, asset_id, results: {model: {...}},
 * errors: {model: message}}}) or, for a {@code .csv} name, flat columns a spreadsheet opens. Written to a temporary
 * file beside the target, then moved over it, so a reader never sees half a file.
 */
final class ResultsFile {

    /** One file's analyses: endpoint → result fields, endpoint (or "upload") → error. */
    record Row(String file, String sha256, String assetId, Map<String, JsonNode> results, Map<String, String> errors) {
    }

    static final List<String> CSV_COLUMNS = List.of("file", "sha256", "asset_id", "tempo", "bpm_confidence", "key",
            "mode", "integrated_lufs", "loudness_range", "true_peak_dbtp", "chords", "errors");

    private ResultsFile() {
    }

    static boolean isCsv(Path out) {
        return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    static void write(Path out, List<Row> rows) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                if (isCsv(out)) {
                    w.write(String.join(",", CSV_COLUMNS));
                    w.write("\r\n");
                    for (Row r : rows) {
                        w.write(csvLine(r));
                        w.write("\r\n");
                    }
                } else {
                    for (Row r : rows) {
                        w.write(json(r));
                        w.newLine();
                    }
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String json(Row r) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("file", r.file()).put("sha256", r.sha256()).put("asset_id", r.assetId());
        ObjectNode results = line.putObject("results");
        r.results().forEach(results::set);
        ObjectNode errors = line.putObject("errors");
        r.errors().forEach(errors::put);
        return line.toString();
    }

    static String csvLine(Row r) {
        JsonNode bpm = r.results().get("bpm");
        JsonNode key = r.results().get("key");
        JsonNode keyBpm = r.results().get("key-bpm");
        JsonNode lufs = r.results().get("lufs");
        List<String> cells = new ArrayList<>();
        cells.add(r.file());
        cells.add(r.sha256());
        cells.add(r.assetId());
        cells.add(field("tempo", bpm, keyBpm));
        // key-bpm's top-level confidence is the key's; the tempo's is in its bpm envelope
        cells.add(bpm != null ? field("confidence", bpm) : field("confidence", keyBpm == null ? null : keyBpm.at("/models/bpm/results")));
        cells.add(field("key", key, keyBpm));
        cells.add(field("mode", key, keyBpm));
        cells.add(field("integrated_lufs", lufs));
        cells.add(field("loudness_range", lufs));
        cells.add(field("true_peak_dbtp", lufs));
        cells.add(chordsSummary(r.results().get("chords")));
        cells.add(Analyses.describe(r.errors()));
        return String.join(",", cells.stream().map(ResultsFile::csvCell).toList());
    }

    /** The first of {@code sources} that has {@code name}, as text; empty when none does. */
    private static String field(String name, JsonNode... sources) {
        for (JsonNode source : sources) {
            if (source != null && source.hasNonNull(name)) {
                return source.get(name).asText();
            }
        }
        return "";
    }

    /** The most used chords, longest first: "A:maj 12.0s; E:maj 4.5s" (at most six). */
    static String chordsSummary(JsonNode chords) {
        if (chords == null || !chords.path("summary").isArray()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode usage : chords.path("summary")) {
            if (parts.size() == 6) {
                break;
            }
            parts.add(String.format(Locale.ROOT, "%s %.1fs", usage.path("label").asText(), usage.path("duration").asDouble()));
        }
        return String.join("; ", parts);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String csvCell(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
