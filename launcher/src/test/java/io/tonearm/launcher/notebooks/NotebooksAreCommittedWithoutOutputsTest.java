package io.tonearm.launcher.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notebooks are committed clean: no cell outputs and no execution counts. Outputs carry one run's data (a catalog's
 * file names, an API's answers, images) and make every rerun a diff; `jupyter nbconvert --clear-output --inplace`
 * strips them.
 */
class NotebooksAreCommittedWithoutOutputsTest {

    @Test
    void noCommittedNotebookHasOutputsOrExecutionCounts() throws Exception {
        List<Path> notebooks = Notebooks.all();
        assertThat(notebooks).as("notebooks in %s", Notebooks.dir()).isNotEmpty();
        List<String> dirty = new ArrayList<>();
        for (Path notebook : notebooks) {
            JsonNode cells = new ObjectMapper().readTree(notebook.toFile()).path("cells");
            assertThat(cells.isArray() && cells.size() > 0).as("%s has cells", notebook).isTrue();
            for (int i = 0; i < cells.size(); i++) {
                JsonNode cell = cells.get(i);
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                if (cell.path("outputs").size() > 0) {
                    dirty.add(notebook.getFileName() + " cell " + i + ": outputs");
                }
                if (!cell.path("execution_count").isNull()) {
                    dirty.add(notebook.getFileName() + " cell " + i + ": execution_count " + cell.path("execution_count"));
                }
            }
        }
        assertThat(dirty).as("clear them with: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb").isEmpty();
    }
}
