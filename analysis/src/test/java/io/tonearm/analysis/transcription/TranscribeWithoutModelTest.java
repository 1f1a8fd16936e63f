package io.tonearm.analysis.transcription;

import io.tonearm.analysis.Params;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an operator sees without the model, and parameter validation; runs on any machine. */
class TranscribeWithoutModelTest {

    private static AnalysisReport run(TranscribeAnalyzer analyzer) {
        return Analyze.report(List.of(new Selection("transcribe", analyzer, Params.defaults(analyzer.spec()))),
                new float[PianoSynth.RATE], PianoSynth.RATE, 1);
    }

    @Test
    void noModelsDirectoryFailsNamingTheSettingAndTheFile() {
        AnalysisReport report = run(new TranscribeAnalyzer(new ModelStore(null)));

        assertThat(report.results()).doesNotContainKey("transcribe");
        assertThat(report.failures().get("transcribe").message())
                .contains(ModelStore.DIR_PROPERTY).contains(ModelStore.DIR_ENV).contains("basic-pitch/nmp.onnx");
    }

    @Test
    void missingModelFileFailsNamingTheFile(@TempDir Path empty) {
        AnalysisReport report = run(new TranscribeAnalyzer(new ModelStore(empty)));

        assertThat(report.failures().get("transcribe").message()).contains("basic-pitch/nmp.onnx").contains(empty.toString());
    }

    @Test
    void registeredUnderItsNameAndAliases() {
        var registry = StandardAnalyzers.registry();
        assertThat(registry.names()).contains("transcribe");
        assertThat(registry.select("basic-pitch", Map.of()).analyzer()).isInstanceOf(TranscribeAnalyzer.class);
    }

    @Test
    void resultSerializesWithTheContractFieldNames() throws Exception {
        var json = io.tonearm.analysis.Json.mapper().writeValueAsString(new TranscriptionResult(
                List.of(new TranscribedNote(0.5, 1.25, 69, 80, 0.63)), 1, null));
        assertThat(json).isEqualTo("{\"notes\":[{\"start\":0.5,\"end\":1.25,\"pitch\":69,\"velocity\":80,\"amplitude\":0.63}],"
                + "\"note_count\":1,\"midi\":null}");
    }

    @Test
    void settingsFollowUpstreamDefaults() {
        TranscribeAnalyzer a = new TranscribeAnalyzer(new ModelStore(null));
        NoteCreation.Settings s = TranscribeAnalyzer.settings(Params.defaults(a.spec()));
        assertThat(s).isEqualTo(new NoteCreation.Settings(0.5, 0.3, 11, true, 0, 88, 11));

        NoteCreation.Settings ranged = TranscribeAnalyzer.settings(Params.of(a.spec(), Map.of("min_hz", 261.63, "max_hz", 440)));
        assertThat(ranged.minKey()).isEqualTo(60 - 21);
        assertThat(ranged.maxKey()).isEqualTo(69 - 21);
        assertThatThrownBy(() -> TranscribeAnalyzer.settings(Params.of(a.spec(), Map.of("min_hz", 500, "max_hz", 490))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min_hz");
    }
}
