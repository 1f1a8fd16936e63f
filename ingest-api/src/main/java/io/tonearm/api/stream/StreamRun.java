package io.tonearm.api.stream;

import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.api.credits.CreditLedger;
import io.tonearm.api.stream.StreamEvents.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One streamed recording on a worker: decode once, run the models, queue an event as each model finishes, then
 * settle (delete the audio, refund every model that did not complete) and queue {@code finished}. The request
 * thread sends the queued events; it may {@link #stop} the run (client gone, time up) and settle it itself.
 */
final class StreamRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);

    private final Decoder decoder;
    private final Duration budget;
    private final AudioSpool.Spooled audio;
    private final List<Selection> selections;
    private final String correlationId;
    private final String filename;
    private final Map<String, String> chargeKeys;
    private final CreditLedger credits;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile String stopReason;
    private volatile long startedNanos;

    /** @param chargeKeys each selection's key to the charge key it was charged under */
    StreamRun(Decoder decoder, Duration budget, AudioSpool.Spooled audio, List<Selection> selections,
              String correlationId, String filename, Map<String, String> chargeKeys, CreditLedger credits) {
        this.decoder = decoder;
        this.budget = budget;
        this.audio = audio;
        this.selections = List.copyOf(selections);
        this.correlationId = correlationId;
        this.filename = filename;
        this.chargeKeys = Map.copyOf(chargeKeys);
        this.credits = credits;
    }

    @Override
    public void run() {
        startedNanos = System.nanoTime();
        if (stopReason != null) {
            settle();
            return;
        }
        try {
            AnalysisReport report = new AnalysisRunner(new StoppableDecoder(decoder, () -> stopReason), budget)
                    .analyze(audio.file(), audio.sha256(), selections, new AnalysisRunner.Listener() {
                        @Override
                        public void completed(Selection selection, Envelope e) {
                            completed.add(selection.key());
                            events.add(new Event(StreamEvents.COMPLETED, new StreamEvents.Completed(
                                    new StreamEvents.Result(e.modelName(), e.modelVersion(), correlationId, e.results()))));
                        }

                        @Override
                        public void failed(Selection selection, AnalysisReport.ErrorInfo error) {
                            events.add(failure(error.code(), error.message(), selection.analyzer().spec().name()));
                        }
                    });
            if (report.error() != null) {
                events.add(failure("undecodable_audio." + report.error().code(), report.error().message(), null));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("stream {} failed", correlationId, e);
            events.add(failure("internal_error", "unexpected error; quote correlation id " + correlationId, null));
        } finally {
            settle();
            events.add(finished());
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

    /** Deletes the audio and refunds each model that did not complete; once, whoever calls first. */
    void settle() {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        audio.delete();
        for (Selection s : selections) {
            if (!completed.contains(s.key())) {
                try {
                    credits.refund(chargeKeys.get(s.key()));
                } catch (RuntimeException e) {
                    LOG.error("stream {}: refund of {} failed", correlationId, chargeKeys.get(s.key()), e);
                }
            }
        }
    }

    Event failure(String code, String message, String modelName) {
        return new Event(StreamEvents.ERROR, new StreamEvents.Failed(new StreamEvents.ErrorBody(code, message), modelName));
    }

    Event finished() {
        int done = completed.size();
        return new Event(StreamEvents.FINISHED, new StreamEvents.Finished(selections.size(), done,
                selections.size() - done, correlationId, filename));
    }
}
