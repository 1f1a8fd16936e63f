package io.tonearm.sinks.credits;

import java.util.List;
import java.util.Map;

/**
 * What each endpoint costs, from the table in DESIGN.md. Per-minute prices use the audio's duration rounded up
 * to whole minutes (at least one); uploads are free and not listed. The SSE stream charges each model it runs
 * under its own endpoint name {@code analysis/stream:<model>}, at the price of the table's closest entry: bpm,
 * key (and key-keynet), loudness-ebur128 (as lufs), pitch 2; beatgrid, chords 4; the analyzers the API runs as
 * per-minute jobs (transcribe, segment-transcribe; master and separation too, though the stream refuses those: their
 * result is files it does not keep) what that job costs, per started minute of the audio; any other analyzer
 * (waveform, onsets...) 2, the cheapest analysis.
 *
 * <p>A recording registered by the pipeline (catalog scan, Kafka ingestion) with a request for several analyzers is
 * charged once, under {@code registration:<analyzers>}, the sum of what the API charges for each of them (the
 * standard set {@code bpm, beatgrid, key, loudness-ebur128, chords} costs 2 + 4 + 2 + 2 + 4 = 14, as five requests to
 * {@code /v1/bpm}, {@code /beatgrid}, {@code /key}, {@code /lufs}, {@code /chords} do). Analyzers priced per minute
 * cannot be part of one: the duration is not known when a file is registered.
 */
public final class Tariff {

    /** One endpoint's price: {@code credits} per request, or per started minute of audio. */
    public record Price(long credits, boolean perMinute) {
        public Price {
            if (credits < 0) {
                throw new IllegalArgumentException("a price cannot be negative");
            }
        }
    }

    public static final String STREAM_PREFIX = "analysis/stream:";
    public static final String REGISTRATION_PREFIX = "registration:";
    static final long OTHER_STREAM_MODEL = 2;

    private static final Map<String, Price> STANDARD = Map.ofEntries(
            Map.entry("bpm", flat(2)), Map.entry("key", flat(2)), Map.entry("lufs", flat(2)),
            Map.entry("key-bpm", flat(2)), Map.entry("pitch", flat(2)),
            Map.entry("beatgrid", flat(4)), Map.entry("chords", flat(4)),
            Map.entry("identify", flat(3)),
            Map.entry("analyze/upload", flat(10)),
            Map.entry("master", perMinute(5)),
            Map.entry("separate/2stem", perMinute(6)), Map.entry("separate/4stem", perMinute(10)),
            Map.entry("transcribe", perMinute(10)), Map.entry("segment-transcribe", perMinute(12)));

    /** Analyzer names (canonical, as registered) whose price is a table entry other than the default. */
    private static final Map<String, String> MODEL_ENTRY = Map.of(
            "bpm", "bpm", "key", "key", "key-keynet", "key", "loudness-ebur128", "lufs", "pitch", "pitch",
            "beatgrid", "beatgrid", "chords", "chords");

    /** Analyzers whose endpoint is priced per minute of audio. */
    private static final Map<String, String> PER_MINUTE_MODEL_ENTRY = Map.of(
            "master", "master", "separate-2stem", "separate/2stem", "separate-4stem", "separate/4stem",
            "transcribe", "transcribe", "segment-transcribe", "segment-transcribe");

    private final Map<String, Price> prices;

    private Tariff(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The table of DESIGN.md. */
    public static Tariff standard() {
        return new Tariff(STANDARD);
    }

    /** The endpoint name under which the SSE stream charges one model (an analyzer's canonical name). */
    public static String streamEndpoint(String analyzerName) {
        return STREAM_PREFIX + analyzerName;
    }

    /** The endpoint name under which a registration requesting {@code analyzers} (canonical names) is charged. */
    public static String registrationEndpoint(List<String> analyzers) {
        return REGISTRATION_PREFIX + String.join(",", analyzers);
    }

    public boolean knows(String endpoint) {
        return prices.containsKey(endpoint) || endpoint.startsWith(STREAM_PREFIX) || endpoint.startsWith(REGISTRATION_PREFIX);
    }

    /**
     * Credits for one request.
     *
     * @param durationSeconds the audio's duration; required (finite, not negative) for per-minute endpoints
     * @throws IllegalArgumentException for an endpoint not in the table, or a per-minute one without duration
     */
    public long cost(String endpoint, Double durationSeconds) {
        Price price = price(endpoint);
        if (!price.perMinute()) {
            return price.credits();
        }
        if (durationSeconds == null || !Double.isFinite(durationSeconds) || durationSeconds < 0) {
            throw new IllegalArgumentException(endpoint + " is priced per minute and needs the audio's duration, got "
                    + durationSeconds);
        }
        long minutes = Math.max(1, (long) Math.ceil(durationSeconds / 60.0));
        return Math.multiplyExact(minutes, price.credits());
    }

    public Price price(String endpoint) {
        if (endpoint.startsWith(STREAM_PREFIX)) {
            return modelPrice(endpoint.substring(STREAM_PREFIX.length()));
        }
        if (endpoint.startsWith(REGISTRATION_PREFIX)) {
            return registrationPrice(endpoint.substring(REGISTRATION_PREFIX.length()));
        }
        Price price = prices.get(endpoint);
        if (price == null) {
            throw new IllegalArgumentException("no price for endpoint '" + endpoint + "'; priced: " + prices.keySet());
        }
        return price;
    }

    private Price modelPrice(String analyzer) {
        String entry = MODEL_ENTRY.getOrDefault(analyzer, PER_MINUTE_MODEL_ENTRY.get(analyzer));
        return entry == null ? flat(OTHER_STREAM_MODEL) : prices.get(entry);
    }

    private Price registrationPrice(String analyzers) {
        long sum = 0;
        for (String analyzer : analyzers.split(",")) {
            if (analyzer.isBlank()) {
                throw new IllegalArgumentException("a registration must request at least one analyzer, got '" + analyzers + "'");
            }
            if (PER_MINUTE_MODEL_ENTRY.containsKey(analyzer)) {
                throw new IllegalArgumentException(analyzer + " is priced per minute of audio (" + PER_MINUTE_MODEL_ENTRY.get(analyzer)
                        + "); a registration cannot request it, the duration is not known yet");
            }
            sum += modelPrice(analyzer).credits();
        }
        return flat(sum);
    }

    private static Price flat(long credits) {
        return new Price(credits, false);
    }

    private static Price perMinute(long credits) {
        return new Price(credits, true);
    }
}
