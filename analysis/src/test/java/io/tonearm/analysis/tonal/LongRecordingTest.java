package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A 60-minute recording streamed (never held whole) through key and chords: results stay right, memory bounded. */
class LongRecordingTest {

    /** Loops a rendered 20 s progression for {@code seconds}, block by block. */
    private static final class LoopingDecoder implements Decoder {
        private final float[] loop;
        private final long frames;

        LoopingDecoder(float[] loop, double seconds) {
            this.loop = loop;
            this.frames = (long) (seconds * ProgressionSynth.RATE);
        }

        @Override
        public DecoderInfo describe() {
            return new DecoderInfo("looping", "test");
        }

        @Override
        public AudioInfo probe(Path file) {
            return new AudioInfo("memory", "pcm_f32le", ProgressionSynth.RATE, 1, null, frames / (double) ProgressionSynth.RATE, null);
        }

        @Override
        public PcmStream open(Path file, AudioInfo info, Duration budget) {
            return new PcmStream() {
                private long pos;

                @Override
                public int read(float[] buffer, int maxFrames) {
                    int n = (int) Math.min(maxFrames, frames - pos);
                    if (n <= 0) return -1;
                    for (int i = 0; i < n; i++) buffer[i] = loop[(int) ((pos + i) % loop.length)];
                    pos += n;
                    return n;
                }

                @Override
                public long framesRead() {
                    return pos;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Reports the heap in use (after a collection) while the recording's features are still alive. */
    private static final class HeapProbe implements Analyzer<Long> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("heap-probe", 1, "test probe");
        }

        @Override
        public Run<Long> start(Params params, RecordingContext recording) {
            Chroma chroma = recording.feature(Chroma.FEATURE);
            return () -> {
                chroma.frames();
                System.gc();
                Runtime rt = Runtime.getRuntime();
                return rt.totalMemory() - rt.freeMemory();
            };
        }
    }

    @Test
    void analyzesAnHourInBoundedMemory() {
        float[] loop = ProgressionSynth.render(ProgressionSynth.majorCadences(7), 440);   // G major, 20 s
        KeyAnalyzer key = new KeyAnalyzer();
        ChordAnalyzer chords = new ChordAnalyzer();
        HeapProbe heap = new HeapProbe();
        System.gc();
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        AnalysisRunner runner = new AnalysisRunner(new LoopingDecoder(loop, 3600), Duration.ofMinutes(5));
        AnalysisReport report = runner.analyze(Path.of("hour.wav"), "0".repeat(64), List.of(
                new Selection("key", key, Params.defaults(key.spec())),
                new Selection("chords", chords, Params.defaults(chords.spec())),
                new Selection("heap-probe", heap, Params.defaults(heap.spec()))));
        assertThat(report.failures()).isEmpty();
        KeyResult k = (KeyResult) report.results().get("key").results();
        ChordsResult c = (ChordsResult) report.results().get("chords").results();
        long used = (Long) report.results().get("heap-probe").results();
        System.out.printf("60 min: key %s %s, %d chord segments, heap in use with features alive %.1f MB (%.1f MB before)%n",
                k.key(), k.mode(), c.chords().size(), used / 1e6, before / 1e6);
        assertThat(k.key()).isEqualTo("G");
        assertThat(k.mode()).isEqualTo("major");
        assertThat(c.chords().get(c.chords().size() - 1).end()).isCloseTo(3600, org.assertj.core.data.Offset.offset(0.1));
        assertThat(c.summary().get(0).label()).isEqualTo("G:maj");
        assertThat(used - before).isLessThan(200_000_000L);
    }
}
