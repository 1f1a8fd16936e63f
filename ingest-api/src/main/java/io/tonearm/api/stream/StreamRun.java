package io.tonearm.api.stream;

import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.decode.DecodeError;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.api.stream.StreamEvents.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One streamed recording on a worker: decode once, run the models, queue an event as each model finishes, then
 * delete the audio and queue {@code finished}. The request thread sends the queued events (and settles the
 * credits by what it delivered); it may {@link #stop} the run when the client is gone or the time is up.
 */
final class StreamRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);

    private final Decoder decoder;
    private final Duration budget;
    private final AudioSpool.Spooled audio;
    private final List<Selection> selections;
    private final String correlationId;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile String stopReason;
    private volatile long startedNanos;

    StreamRun(Decoder decoder, Duration budget, AudioSpool.Spooled audio, List<Selection> selections,
              String correlationId) {
        this.decoder = decoder;
        this.budget = budget;
        this.audio = audio;
        this.selections = List.copyOf(selections);
        this.correlationId = correlationId;
    }

    @Override
    public void run() {
        startedNanos = System.nanoTime();
        try {
            if (stopReason != null) {
                return;
            }
            AnalysisReport report = new AnalysisRunner(new StoppableDecoder(decoder, () -> stopReason), budget)
                    .analyze(audio.file(), audio.sha256(), selections, new AnalysisRunner.Listener() {
                        @Override
                        public void completed(Selection selection, Envelope e) {
                            events.add(new Event(StreamEvents.COMPLETED, new StreamEvents.Completed(
                                    new StreamEvents.Result(e.modelName(), e.modelVersion(), correlationId,
                                            io.tonearm.analysis.Json.mapper().valueToTree(e.results()))),
                                    selection.key()));
                        }

                        @Override
                        public void failed(Selection selection, AnalysisReport.ErrorInfo error) {
                            events.add(failure(error.code(), error.message(), selection));
                        }
                    });
            if (report.error() != null) {
                // Running out of time is not the recording's fault: "timeout", like the request-side budget.
                String code = report.error().code().equals(DecodeError.TIMEOUT.code()) ? "timeout"
                        : "undecodable_audio." + report.error().code();
                events.add(failure(code, report.error().message(), null));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("stream {} failed", correlationId, e);
            events.add(failure("internal_error", "unexpected error; quote correlation id " + correlationId, null));
        } finally {
            audio.delete();
            events.add(new Event(StreamEvents.FINISHED, null, null)); // the request thread fills in the counts
        }
    }

    BlockingQueue<Event> events() {
        return events;
    }

    /** Asks the decode to stop at its next block. */
    void stop(String reason) {
        stopReason = reason;
    }

    /** Nanos of {@link System#nanoTime()} when a worker took the run, 0 while it waits. */
    long startedNanos() {
        return startedNanos;
    }

    /** An error event, about one model or (null) the whole recording. */
    static Event failure(String code, String message, Selection model) {
        return new Event(StreamEvents.ERROR, new StreamEvents.Failed(new StreamEvents.ErrorBody(code, message),
                model == null ? null : model.analyzer().spec().name()), model == null ? null : model.key());
    }
}
