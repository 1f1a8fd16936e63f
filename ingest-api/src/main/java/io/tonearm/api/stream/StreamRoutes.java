package io.tonearm.api.stream;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.api.accounts.Caller;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.api.credits.UnknownDuration;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.OutOfCreditsException;
import io.tonearm.sinks.credits.Tariff;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Routes;
import io.tonearm.api.stream.StreamEvents.Event;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code POST /v1/analysis/stream?models=…}: analyzes the body (or the {@code audio-url} header's URL, fetched
 * under the URL-import rules) once and streams Server-Sent Events: {@code started}, one {@code completed} per
 * model as it finishes (or {@code error} for a model that fails), {@code finished}. Nothing is stored.
 *
 * <p>Everything that can be refused is refused with a plain HTTP error before the stream starts: 400 (body and
 * header both or neither, no models, a model whose result is files), 413, 422 (unknown model or parameter, a URL
 * the fetcher refuses; with a per-minute model also a recording that cannot be probed or declares no duration),
 * 402, 503 (workers busy); 429 comes from the rate limit. Once the stream has started, failures are events: a
 * recording that cannot be decoded gives one {@code error} then {@code finished}. Each model is charged under
 * {@code analysis/stream:<model>} before the work starts and refunded unless its result reached the client.
 *
 * <p>Models the API prices per minute of audio (transcribe, segment-transcribe) cost here what their job costs: the
 * spooled audio is probed for its duration before the charge, and a recording that cannot be probed or declares no
 * duration is refused (422) before anything is charged. Models whose result is files are refused (400, by
 * {@link ModelSelection}).
 */
public final class StreamRoutes implements Routes.Feature {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRoutes.class);
    private static final int MAX_FILENAME = 255;

    private final AnalyzerRegistry registry;
    private final Decoder decoder;
    private final SafeUrlFetcher fetcher;
    private final Function<Plan, PlanLimits> limits;
    private final CreditLedger credits;
    private final AudioSpool spool;
    private final StreamSettings settings;
    private final StreamWorkers workers;

    /** @param spoolDir private directory for the audio being analyzed (emptied at start) */
    public StreamRoutes(AnalyzerRegistry registry, Decoder decoder, SafeUrlFetcher fetcher,
                        Function<Plan, PlanLimits> limits, CreditLedger credits, Path spoolDir, StreamSettings settings) {
        this.registry = registry;
        this.decoder = decoder;
        this.fetcher = fetcher;
        this.limits = limits;
        this.credits = credits;
        this.spool = new AudioSpool(spoolDir);
        this.settings = settings;
        this.workers = new StreamWorkers(settings.workers(), settings.queueCapacity());
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/v1/analysis/stream", "Analyze audio (body or audio-url header) with the given models; results as "
                + "Server-Sent Events, nothing stored", this::stream)
                .documented(Map.of("responses", Map.of(
                        "200", Map.of("description", "text/event-stream: started, completed or error per model, finished"),
                        "422", UnknownDuration.openApiResponse("an unknown model or parameter, a URL the fetcher refuses; "
                                + "with a per-minute model undecodable_audio.* when the audio cannot be probed"))));
    }

    private void stream(Context ctx) throws IOException {
        Caller caller = Caller.of(ctx);
        List<Selection> selections = ModelSelection.parse(registry, ctx.queryParam("models"), ctx.queryParamMap());
        String url = blankToNull(ctx.header("audio-url"));
        long declared = ctx.req().getContentLengthLong();
        boolean hasBody = declared > 0 || ctx.header("Transfer-Encoding") != null;
        if (url != null && hasBody) {
            throw ApiException.badRequest("ambiguous_audio", "send the audio as the body or its URL in the audio-url "
                    + "header, not both");
        }
        if (url == null && !hasBody) {
            throw AudioSpool.missingAudio();
        }
        long maxBytes = limits.apply(caller.plan()).maxUploadBytes();
        if (declared > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        String correlationId = UUID.randomUUID().toString();
        boolean perMinute = selections.stream().anyMatch(this::perMinute);
        // Early, before reading a large body (per-minute models at their least, one minute); the charge is what counts.
        long atLeast = bill(selections, correlationId, perMinute ? 0.0 : null).cost();
        long balance = credits.balance(caller.accountId());
        if (balance < atLeast) {
            throw new OutOfCreditsException(perMinute ? "analysis/stream (at least)" : "analysis/stream", atLeast, balance);
        }
        AudioSpool.Spooled audio = url != null ? spool.fromUrl(fetcher, url, maxBytes)
                : spool.fromBody(ctx.req().getInputStream(), maxBytes);
        Bill bill = bill(selections, correlationId, perMinute ? durationOf(audio, selections) : null);
        StreamRun run = start(caller, selections, correlationId, bill, audio);
        Delivery delivery = new Delivery(selections.size(), correlationId, filename(ctx.header("filename")),
                bill.chargeKeys(), System.nanoTime());
        ctx.header("X-Correlation-Id", correlationId);
        try {
            EventStream events = EventStream.open(ctx);
            events.send(StreamEvents.STARTED, new StreamEvents.Started(delivery.total, correlationId, delivery.filename));
            pump(run, events, delivery);
        } catch (IOException clientGone) {
            run.stop("the client disconnected");
            LOG.info("stream {}: client disconnected", correlationId);
        } catch (InterruptedException e) {
            run.stop("the server is shutting down");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The 200 is committed: no JSON error can follow, so stop the work and end the stream as well as we can.
            run.stop("the stream failed");
            LOG.error("stream {} failed", correlationId, e);
            ctx.res().getOutputStream().close();
        } finally {
            settle(delivery);
        }
    }

    /** What a request costs: one charge per model, each refundable alone. */
    private record Bill(List<CreditLedger.Item> items, Map<String, String> chargeKeys, long cost, Double durationSeconds) {
        String label() {
            return "analysis/stream (" + items.size() + " models" + (durationSeconds == null ? ")"
                    : String.format(java.util.Locale.ROOT, ", %.1f s of audio)", durationSeconds));
        }
    }

    /** @param durationSeconds the audio's duration; needed when a model is priced per minute, else null */
    private Bill bill(List<Selection> selections, String correlationId, Double durationSeconds) {
        List<CreditLedger.Item> items = new ArrayList<>();
        Map<String, String> chargeKeys = new LinkedHashMap<>();
        long cost = 0;
        for (Selection s : selections) {
            String endpoint = endpoint(s);
            String key = "stream:" + correlationId + ":" + s.key();
            items.add(new CreditLedger.Item(endpoint, durationSeconds, key));
            chargeKeys.put(s.key(), key);
            cost += credits.tariff().cost(endpoint, durationSeconds);
        }
        return new Bill(items, chargeKeys, cost, durationSeconds);
    }

    private static String endpoint(Selection s) {
        return Tariff.streamEndpoint(s.analyzer().spec().name());
    }

    private boolean perMinute(Selection s) {
        return credits.tariff().price(endpoint(s)).perMinute();
    }

    /**
     * The spooled audio's declared duration, which per-minute prices need before the work starts (the API's jobs
     * price the asset's probed duration alike). 422 when it cannot be probed or declares none; the audio is then
     * deleted (on success the run deletes it when done).
     */
    private Double durationOf(AudioSpool.Spooled audio, List<Selection> selections) {
        Double seconds;
        try {
            seconds = decoder.probe(audio.file()).durationSeconds();
        } catch (DecodeException e) {
            audio.delete();
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "undecodable_audio." + e.error().code(),
                    "the recording cannot be analyzed: " + e.getMessage());
        } catch (RuntimeException e) {
            audio.delete();
            throw e;
        }
        if (seconds == null || !Double.isFinite(seconds) || seconds < 0) {
            audio.delete();
            throw UnknownDuration.refusal(selections.stream().filter(this::perMinute).map(s -> s.analyzer().spec().name()).toList());
        }
        return seconds;
    }

    /** Charges (402 when the balance no longer covers it) and hands the audio to a worker (503 when all are busy). */
    private StreamRun start(Caller caller, List<Selection> selections, String correlationId, Bill bill,
                            AudioSpool.Spooled audio) {
        try {
            credits.chargeAll(caller.accountId(), bill.label(), bill.items());
        } catch (RuntimeException e) {
            audio.delete();
            throw e;
        }
        try {
            StreamRun run = new StreamRun(decoder, settings.timeBudget(), audio, selections, correlationId);
            workers.submit(run);
            return run;
        } catch (RuntimeException e) {
            audio.delete();
            refundUndelivered(bill.chargeKeys(), Set.of(), correlationId);
            throw e;
        }
    }

    /** What one request has sent so far. */
    private static final class Delivery {
        final int total;
        final String correlationId;
        final String filename;
        final Map<String, String> chargeKeys;
        final long submittedNanos;
        final Set<String> delivered = new HashSet<>();
        boolean settled;

        Delivery(int total, String correlationId, String filename, Map<String, String> chargeKeys, long submittedNanos) {
            this.total = total;
            this.correlationId = correlationId;
            this.filename = filename;
            this.chargeKeys = chargeKeys;
            this.submittedNanos = submittedNanos;
        }

        StreamEvents.Finished finished() {
            return new StreamEvents.Finished(total, delivered.size(), total - delivered.size(), correlationId, filename);
        }
    }

    /**
     * Sends the run's events until {@code finished}, with heartbeats; gives up past the time budget. Models are
     * paid when their result reached the client: the rest is refunded before {@code finished} goes out, so a
     * client that reads its balance after {@code finished} sees it settled.
     */
    private void pump(StreamRun run, EventStream events, Delivery delivery) throws IOException, InterruptedException {
        long budget = settings.timeBudget().toNanos();
        long grace = TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Event e = run.events().poll(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            if (e != null) {
                if (e.name().equals(StreamEvents.FINISHED)) {
                    settle(delivery);
                    events.send(StreamEvents.FINISHED, delivery.finished());
                    return;
                }
                events.send(e.name(), e.data());
                if (e.name().equals(StreamEvents.COMPLETED)) {
                    delivery.delivered.add(e.model());
                }
                continue;
            }
            long started = run.startedNanos();
            long now = System.nanoTime();
            // Waiting for a worker may take one budget, analyzing another (the decoder stops itself at the
            // budget; finishing the models after it gets a grace period).
            boolean overdue = started == 0 ? now - delivery.submittedNanos > budget : now - started > budget + grace;
            if (overdue) {
                String why = started == 0 ? "no worker became free in time" : "the analysis took longer than "
                        + settings.timeBudget().toSeconds() + " s";
                run.stop(why);
                settle(delivery);
                Event failure = StreamRun.failure("timeout", why, null);
                events.send(failure.name(), failure.data());
                events.send(StreamEvents.FINISHED, delivery.finished());
                return;
            }
            events.heartbeat();
        }
    }

    /** Refunds, once, each model whose result the client did not get. */
    private void settle(Delivery delivery) {
        if (!delivery.settled) {
            delivery.settled = true;
            refundUndelivered(delivery.chargeKeys, delivery.delivered, delivery.correlationId);
        }
    }

    /** Refunds each model whose result the client did not get (refunds are idempotent). */
    private void refundUndelivered(Map<String, String> chargeKeys, Set<String> delivered, String correlationId) {
        chargeKeys.forEach((model, key) -> {
            if (!delivered.contains(model)) {
                try {
                    credits.refund(key);
                } catch (RuntimeException e) {
                    LOG.error("stream {}: refund of {} failed", correlationId, key, e);
                }
            }
        });
    }

    private static String filename(String header) {
        String name = blankToNull(header);
        if (name == null) {
            return null;
        }
        name = name.replaceAll("\\p{Cntrl}", "").strip();
        return name.length() > MAX_FILENAME ? name.substring(0, MAX_FILENAME) : name;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
