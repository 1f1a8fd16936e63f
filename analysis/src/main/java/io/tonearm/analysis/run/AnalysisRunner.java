package io.tonearm.analysis.run;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Provenance;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.AudioLimits;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.models.ModelUnavailableException;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport.ErrorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Analyzes one recording: decode once, fan the PCM out to every selected analyzer (and the features they
 * share), collect one envelope per analyzer. Thread-confined: one recording per call, calls may run in parallel.
 */
public final class AnalysisRunner {

    static final int BLOCK_FRAMES = 4096;

    /**
     * Told each analyzer's outcome the moment it is known, before {@code analyze} returns (the SSE stream sends
     * each result as it finishes). Called on the analyzing thread, in completion order; must not throw.
     */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void completed(Selection selection, Envelope envelope) {
            }

            @Override
            public void failed(Selection selection, ErrorInfo error) {
            }
        };

        void completed(Selection selection, Envelope envelope);

        void failed(Selection selection, ErrorInfo error);
    }

    private final Decoder decoder;
    private final Duration budget;
    private final OutputStore outputs;

    /** A runner that keeps no output files. @param budget wall-clock limit for decoding one recording */
    public AnalysisRunner(Decoder decoder, Duration budget) {
        this(decoder, budget, OutputStore.NONE);
    }

    /** @param outputs where analyzers that produce files (MIDI, stems) write them */
    public AnalysisRunner(Decoder decoder, Duration budget, OutputStore outputs) {
        this.decoder = decoder;
        this.budget = budget;
        this.outputs = outputs;
    }

    public Decoder decoder() {
        return decoder;
    }

    public AnalysisReport analyze(Path file, List<Selection> selections) {
        String name = file.toString();
        String sha256;
        try {
            sha256 = sha256(file);
        } catch (NoSuchFileException e) {
            return failed(name, null, null, new ErrorInfo("io", "no such file: " + file));
        } catch (IOException e) {
            return failed(name, null, null, new ErrorInfo("io", "cannot read " + file + ": " + e.getMessage()));
        }
        return analyze(file, sha256, selections);
    }

    /** As {@link #analyze(Path, List)} when the caller already knows the SHA-256 (the pipeline, the API). */
    public AnalysisReport analyze(Path file, String sha256, List<Selection> selections) {
        return analyze(file, sha256, selections, Listener.NONE);
    }

    /** As {@link #analyze(Path, String, List)}, telling {@code listener} each analyzer's outcome as it is known. */
    public AnalysisReport analyze(Path file, String sha256, List<Selection> selections, Listener listener) {
        return analyze(file, sha256, null, selections, listener);
    }

    /**
     * As {@link #analyze(Path, String, List, Listener)}, decoding with what an earlier probe of the same bytes read
     * ({@code probed}; the pipeline's requests carry the upload's probe) instead of probing them again; null: probe.
     * A carried probe is held to the same limits as a fresh one.
     */
    public AnalysisReport analyze(Path file, String sha256, AudioInfo probed, List<Selection> selections, Listener listener) {
        String name = file.toString();
        AudioInfo info;
        try {
            if (probed != null) AudioLimits.check(probed);
            info = probed != null ? probed : decoder.probe(file);
        } catch (DecodeException e) {
            return failed(name, sha256, null, error(e));
        }
        StreamingRecording recording = new StreamingRecording(info, outputs);
        try (SideLane lane = besideOthers(selections) ? new SideLane(info, outputs) : null) {
            Map<Selection, Started> started = new LinkedHashMap<>();
            for (Selection s : selections) {
                StreamingRecording on = lane != null && s.analyzer().runsBesideOthers() ? lane.recording() : recording;
                StreamingRecording.Slot slot = on.slot(s.key());
                Analyzer.Run<?> run = null;
                try {
                    run = on.within(slot, () -> s.analyzer().start(s.params(), on));
                } catch (RuntimeException e) {
                    slot.fail(e);
                }
                started.put(s, new Started(on, slot, run));
            }
            StreamingRecording.Slot handoff = lane != null ? recording.slot("handoff") : null;
            if (lane != null) {
                recording.within(handoff, () -> {
                    lane.attachTo(recording);
                    return null;
                });
            }

            long decodeNanos = 0;
            long frames;
            try (PcmStream pcm = decoder.open(file, info, budget)) {
                float[] buffer = new float[BLOCK_FRAMES * info.channels()];
                while (true) {
                    long t0 = System.nanoTime();
                    int n = pcm.read(buffer, BLOCK_FRAMES);
                    decodeNanos += System.nanoTime() - t0;
                    if (n < 0) break;
                    recording.dispatch(buffer, n);
                }
                frames = pcm.framesRead();
            } catch (DecodeException e) {
                return failed(name, sha256, info, error(e));
            }
            recording.end();
            if (lane != null) {
                lane.awaitEnd();
                // blocks that never reached the lane: its analyzers heard part of the recording, so none has a result
                Throwable lost = handoff.failure();
                if (lost != null) started.values().stream().filter(st -> st.on() == lane.recording()).forEach(st -> st.slot().fail(lost));
            }

            Map<String, Envelope> results = new LinkedHashMap<>();
            Map<String, ErrorInfo> failures = new LinkedHashMap<>();
            for (Map.Entry<Selection, Started> e : started.entrySet()) {
                Selection s = e.getKey();
                Started st = e.getValue();
                Object result = null;
                if (st.run() != null && st.slot().failure() == null) {
                    try {
                        result = st.on().timed(st.slot(), st.run()::finish);
                    } catch (RuntimeException ex) {
                        st.slot().fail(ex);
                    }
                }
                Throwable failure = st.slot().failure();
                if (failure != null) {
                    ErrorInfo error = new ErrorInfo(code(failure), s.analyzer().spec().name() + ": " + describe(failure));
                    failures.put(s.key(), error);
                    listener.failed(s, error);
                } else {
                    Provenance provenance = new Provenance(decoder.describe(), st.on().signalOf(st.slot()),
                            s.params().asMap(), s.params().hash());
                    Envelope envelope = Envelope.of(s.analyzer().spec(), result, provenance);
                    results.put(s.key(), envelope);
                    listener.completed(s, envelope);
                }
            }
            Map<String, Long> timings = new LinkedHashMap<>();
            timings.put("decode", decodeNanos + recording.conversionNanos());
            timings.putAll(recording.timings());
            if (lane != null) lane.recording().timings().forEach((k, v) -> timings.merge(k, v, Long::sum));
            return new AnalysisReport(name, sha256, info, decoder.describe(), frames / (double) info.sampleRate(),
                    results, failures, null, timings);
        }
    }

    /** An analyzer started on a recording (the main one or the side lane's), or failed to start (run null). */
    private record Started(StreamingRecording on, StreamingRecording.Slot slot, Analyzer.Run<?> run) {
    }

    /** A side lane pays when some analyzers run beside others and there are others for them to run beside. */
    private static boolean besideOthers(List<Selection> selections) {
        boolean beside = false, main = false;
        for (Selection s : selections) {
            if (s.analyzer().runsBesideOthers()) beside = true;
            else main = true;
        }
        return beside && main;
    }

    private AnalysisReport failed(String file, String sha256, AudioInfo info, ErrorInfo error) {
        return new AnalysisReport(file, sha256, info, decoder.describe(), null, Map.of(), Map.of(), error, Map.of());
    }

    private static ErrorInfo error(DecodeException e) {
        return new ErrorInfo(e.error().code(), e.getMessage());
    }

    private static String code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ModelUnavailableException) return AnalysisReport.MODEL_UNAVAILABLE;
        }
        return AnalysisReport.ANALYZER_FAILED;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** SHA-256 of a file's bytes, streamed. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
