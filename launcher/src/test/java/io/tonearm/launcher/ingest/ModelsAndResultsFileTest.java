package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model names to endpoints; the results file's two formats. */
class ModelsAndResultsFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void modelNamesMapToEndpointsOnceEachAndUnknownOnesAreNamed() {
        assertThat(Models.endpoints("bpm, KEY,loudness-ebur128,lufs,key-bpm,,chords"))
                .containsExactly("bpm", "key", "lufs", "key-bpm", "chords");
        assertThatThrownBy(() -> Models.endpoints("bpm,tempo,mood"))
                .hasMessageContaining("unknown models tempo, mood").hasMessageContaining("beatgrid");
    }

    @Test
    void csvTakesTempoAndKeyFromKeyBpmQuotesCellsAndSummarizesChords() throws Exception {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        results.put("key-bpm", JSON.readTree("{\"key\":\"F#\",\"mode\":\"minor\",\"tempo\":128.0,\"confidence\":0.8,"
                + "\"models\":{\"bpm\":{\"results\":{\"tempo\":128.0,\"confidence\":0.6}}}}"));
        results.put("chords", JSON.readTree("{\"summary\":[{\"label\":\"F#:min\",\"duration\":61.25,\"segments\":9},"
                + "{\"label\":\"D:maj\",\"duration\":30.0,\"segments\":4}]}"));
        ResultsFile.Row row = new ResultsFile.Row("a, \"live\".wav", "ab", "id", results, Map.of("lufs", "failed: no"));
        Path csv = dir.resolve("r.csv");
        ResultsFile.write(csv, List.of(row));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(1)).isEqualTo("\"a, \"\"live\"\".wav\",ab,id,128.0,0.6,F#,minor,,,,F#:min 61.3s; D:maj 30.0s,failed: no"
                .replace("failed: no", "lufs: failed: no"));
        assertThat(Files.list(dir)).containsExactly(csv); // no temporary file left behind

        Path jsonl = dir.resolve("r.jsonl");
        ResultsFile.write(jsonl, List.of(row));
        JsonNode line = JSON.readTree(Files.readString(jsonl));
        assertThat(line.at("/results/key-bpm/tempo").asDouble()).isEqualTo(128.0);
        assertThat(line.at("/errors/lufs").asText()).isEqualTo("failed: no");
    }
}
