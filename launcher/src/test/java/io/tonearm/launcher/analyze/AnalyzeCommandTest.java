package io.tonearm.launcher.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command's contract: one JSON line per file, the standard set by default, typed errors, exit codes. */
class AnalyzeCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int exit, List<JsonNode> lines) {
    }

    private Outcome analyze(String... args) throws Exception {
        AnalyzeCommand command = new AnalyzeCommand();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        command.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(command).execute(args);
        List<JsonNode> lines = buf.toString(StandardCharsets.UTF_8).lines()
                .map(l -> {
                    try {
                        return Json.mapper().readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + l, e);
                    }
                }).toList();
        return new Outcome(exit, lines);
    }

    /** 12 s of a 120 BPM click over an A-minor triad, stereo 44.1 kHz 16-bit. */
    private Path music() throws Exception {
        int rate = 44100, frames = rate * 12;
        ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        double[] hz = {220.0, 261.63, 329.63};
        for (int i = 0; i < frames; i++) {
            double t = i / (double) rate, tb = t % 0.5;
            double s = Math.sin(2 * Math.PI * 60 * tb) * Math.exp(-tb * 25) * 0.5;
            for (double f : hz) for (int k = 1; k <= 4; k++) s += Math.sin(2 * Math.PI * f * k * t) * 0.08 / k;
            short v = (short) Math.round(Math.max(-1, Math.min(1, s)) * 30000);
            pcm.putShort(v).putShort(v);
        }
        Path wav = dir.resolve("music.wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()),
                new AudioFormat(rate, 16, 2, true, false), frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        return wav;
    }

    @Test
    void standardSetPrintsOneEnvelopePerAnalyzer() throws Exception {
        Path wav = music();
        Outcome o = analyze(wav.toString());
        assertThat(o.exit).isZero();
        assertThat(o.lines).hasSize(1);
        JsonNode line = o.lines.get(0);
        assertThat(line.get("file").asText()).isEqualTo(wav.toString());
        assertThat(line.get("sha256").asText()).hasSize(64);
        assertThat(line.get("duration").asDouble()).isCloseTo(12.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(line.get("sample_rate").asInt()).isEqualTo(44100);
        assertThat(line.get("channels").asInt()).isEqualTo(2);
        JsonNode results = line.get("results");
        assertThat(results.fieldNames()).toIterable()
                .containsExactly("bpm", "beatgrid", "key", "loudness-ebur128", "chords");
        assertThat(results.get("bpm").get("model_name").asText()).isEqualTo("bpm");
        assertThat(results.get("bpm").get("model_version").asText()).isNotBlank();
        assertThat(results.get("bpm").get("results").get("tempo").asDouble()).isBetween(117.0, 123.0);
        assertThat(results.get("key").get("results").get("key").asText()).isEqualTo("A");
        assertThat(results.get("key").get("results").get("mode").asText()).isEqualTo("minor");
        assertThat(results.get("loudness-ebur128").get("results").has("integrated_lufs")).isTrue();
        assertThat(results.get("loudness-ebur128").get("provenance").get("signal").get("channels").asInt()).isEqualTo(2);
        assertThat(results.get("key").get("provenance").get("signal").get("sample_rate").asInt()).isEqualTo(22050);
        assertThat(results.get("chords").get("results").get("chords").isArray()).isTrue();
        assertThat(results.get("beatgrid").get("results").get("beats").size()).isGreaterThan(15);
    }

    @Test
    void aliasesAndVersionsFromTheSelectorSyntax() throws Exception {
        Outcome o = analyze("--models", "lufs,bpm_degara,key:1", music().toString());
        assertThat(o.exit).isZero();
        assertThat(o.lines.get(0).get("results").fieldNames()).toIterable().containsExactly("lufs", "bpm_degara", "key");
        assertThat(o.lines.get(0).get("results").get("lufs").get("model_name").asText()).isEqualTo("loudness-ebur128");
    }

    @Test
    void brokenFileGivesTypedErrorLineAndExitOneWhileOthersStillSucceed() throws Exception {
        Path junk = dir.resolve("junk.mp3");
        Files.write(junk, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        Outcome o = analyze("--models", "lufs", junk.toString(), music().toString(), empty.toString());
        assertThat(o.exit).isEqualTo(1);
        assertThat(o.lines).hasSize(3);
        assertThat(o.lines.get(0).get("error").get("code").asText()).isNotBlank();
        assertThat(o.lines.get(0).get("error").get("message").asText()).isNotBlank();
        assertThat(o.lines.get(1).has("error")).isFalse();
        assertThat(o.lines.get(2).get("error").get("code").asText()).isEqualTo("empty_file");
    }

    @Test
    void unknownModelIsAUsageErrorListingWhatExists() throws Exception {
        AnalyzeCommand command = new AnalyzeCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(command).execute("--models", "bpm,tempo_magic", music().toString());
            assertThat(exit).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("tempo_magic").contains("loudness-ebur128");
    }

    @Test
    void outputFilesGoToTheOutDirectory() throws Exception {
        Path out = dir.resolve("out");
        Outcome o = analyze("--models", "separate-2stem", "--out-dir", out.toString(), music().toString());
        assertThat(o.exit).isZero();
        JsonNode stems = o.lines.get(0).get("results").get("separate-2stem").get("results").get("stems");
        assertThat(stems.fieldNames()).toIterable().contains("vocals", "instrumental");
        for (JsonNode ref : stems) {
            Path file = Path.of(java.net.URI.create(ref.get("location").asText()));
            assertThat(file).startsWith(out).exists();
            assertThat(Files.size(file)).isEqualTo(ref.get("size_bytes").asLong());
        }
        Outcome without = analyze("--models", "separate-2stem", music().toString());
        assertThat(without.exit).isEqualTo(1);
        assertThat(without.lines.get(0).get("failures").get("separate-2stem").get("message").asText()).contains("output");
    }

    @Test
    void missingFileIsAnIoError() throws Exception {
        Outcome o = analyze("--models", "lufs", dir.resolve("nope.flac").toString());
        assertThat(o.exit).isEqualTo(1);
        assertThat(o.lines.get(0).get("error").get("code").asText()).isEqualTo("io");
    }
}
