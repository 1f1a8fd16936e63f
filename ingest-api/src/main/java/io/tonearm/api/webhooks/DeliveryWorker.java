package io.tonearm.api.webhooks;

import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.postgres.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends queued webhook deliveries. Delivery is at-least-once: the queue row is written by the jobs trigger in the
 * transaction that changes the status (V5), claimed here with {@code FOR UPDATE SKIP LOCKED} under a lease (so
 * any number of API replicas can run a worker), and only marked delivered after a 2xx. A receiver may therefore
 * see an event twice and should drop repeats by {@code Tonearm-Event-Id}.
 * <p>
 * Each attempt is signed afresh ({@link WebhookSignature}, current timestamp) and sent through the SSRF-safe
 * fetcher, which re-checks the destination's addresses every time and follows no redirect. A failed attempt (no
 * answer, or any status outside 2xx) is retried after {@code base × 2^(attempt-1)}, up to {@code maxAttempts};
 * every attempt is logged.
 */
public final class DeliveryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 20;

    /**
     * @param backoffBase  delay before the second attempt; doubles for each further one
     * @param maxAttempts  attempts before a delivery is given up ({@code failed})
     * @param pollInterval how often the queue is looked at
     * @param lease        how long a claimed delivery is reserved for the worker sending it
     */
    public record Settings(Duration backoffBase, int maxAttempts, Duration pollInterval, Duration lease) {
        public Settings {
            Objects.requireNonNull(backoffBase, "backoffBase");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1");
            }
        }

        /** 10 s, 20 s, 40 s, ... over 8 attempts (about 21 minutes); polled every second. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), 8, Duration.ofSeconds(1), Duration.ofMinutes(2));
        }

        /**
         * The defaults, overridden by {@code tonearm.webhooks.backoff-ms} / {@code TONEARM_WEBHOOK_BACKOFF_MS},
         * {@code tonearm.webhooks.max-attempts} / {@code TONEARM_WEBHOOK_MAX_ATTEMPTS} and
         * {@code tonearm.webhooks.poll-ms} / {@code TONEARM_WEBHOOK_POLL_MS}.
         */
        public static Settings configured() {
            Settings d = defaults();
            return new Settings(Duration.ofMillis(setting("tonearm.webhooks.backoff-ms", "TONEARM_WEBHOOK_BACKOFF_MS",
                    d.backoffBase().toMillis())),
                    (int) setting("tonearm.webhooks.max-attempts", "TONEARM_WEBHOOK_MAX_ATTEMPTS", d.maxAttempts()),
                    Duration.ofMillis(setting("tonearm.webhooks.poll-ms", "TONEARM_WEBHOOK_POLL_MS",
                            d.pollInterval().toMillis())), d.lease());
        }

        private static long setting(String property, String env, long fallback) {
            String v = System.getProperty(property, System.getenv(env));
            return v == null || v.isBlank() ? fallback : Long.parseLong(v.strip());
        }
    }

    private final WebhookRepository repository;
    private final SafeUrlFetcher fetcher;
    private final Settings settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-deliveries");
        t.setDaemon(true);
        return t;
    });

    public DeliveryWorker(Database db, SafeUrlFetcher fetcher, Settings settings) {
        this.repository = new WebhookRepository(db);
        this.fetcher = fetcher;
        this.settings = settings;
    }

    public DeliveryWorker start() {
        scheduler.scheduleWithFixedDelay(this::drain, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sends everything due now; returns how many attempts were made. Scheduled; callable by tests. */
    public int drain() {
        int sent = 0;
        try {
            List<WebhookRepository.Due> due;
            do {
                due = repository.claimDue(BATCH, settings.lease());
                for (WebhookRepository.Due d : due) {
                    attempt(d);
                    sent++;
                }
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warn("webhook delivery round failed; retrying next round", e);
        }
        return sent;
    }

    private void attempt(WebhookRepository.Due d) {
        int attempt = d.attempts() + 1;
        Instant at = Instant.now();
        if (d.webhookDeleted()) {
            repository.recordAttempt(d.id(), attempt, at, null, "webhook deleted", 0, false, null);
            return;
        }
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSignature.HEADER, WebhookSignature.header(d.secret(), at.getEpochSecond(), body));
        headers.put("Tonearm-Event-Id", d.eventId().toString());
        headers.put("Tonearm-Event-Type", d.eventType());
        Integer status = null;
        String error = null;
        long start = System.nanoTime();
        try {
            status = fetcher.post(URI.create(d.url()), body, "application/json", headers);
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        int ms = (int) ((System.nanoTime() - start) / 1_000_000);
        boolean delivered = status != null && status >= 200 && status < 300;
        Instant retryAt = delivered || attempt >= settings.maxAttempts() ? null
                : Instant.now().plus(settings.backoffBase().multipliedBy(1L << Math.min(attempt - 1, 20)));
        repository.recordAttempt(d.id(), attempt, at, status, error, ms, delivered, retryAt);
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
