package io.tonearm.api.webhooks;

import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.fetch.UrlImportException;
import io.tonearm.sinks.fetch.UrlPolicy;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Registering webhooks: destinations obey the URL-import rules, events are job status changes. */
public final class WebhookService {

    /** What a webhook may subscribe to; {@code *} is every one. */
    public static final Set<String> EVENTS = Set.of("job.queued", "job.running", "job.succeeded", "job.failed",
            "job.cancelled", "*");
    static final int MAX_PER_ACCOUNT = 20;

    /** The answer to a creation: the only time the secret is shown. */
    public record Created(UUID id, String url, List<String> events, java.time.Instant createdAt, String secret) {
    }

    private final WebhookRepository repository;
    private final UrlPolicy policy;
    private final SecureRandom random = new SecureRandom();

    public WebhookService(io.tonearm.sinks.postgres.Database db, UrlPolicy policy) {
        this.repository = new WebhookRepository(db);
        this.policy = policy;
    }

    Created create(Caller caller, String url, List<String> events) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("invalid_url", "url is required");
        }
        try {
            // Checked now for a clear 4xx; checked again (DNS included) on every delivery.
            policy.check(UrlPolicy.parseUri(url));
        } catch (UrlImportException e) {
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        }
        if (events == null || events.isEmpty()) {
            throw ApiException.badRequest("invalid_events", "events is a non-empty list of " + EVENTS);
        }
        for (String e : events) {
            if (!EVENTS.contains(e)) {
                throw ApiException.badRequest("invalid_events", "unknown event '" + e + "'; events are " + EVENTS);
            }
        }
        if (repository.list(caller.accountId()).size() >= MAX_PER_ACCOUNT) {
            throw ApiException.conflict("too_many_webhooks", "an account has at most " + MAX_PER_ACCOUNT + " webhooks");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Webhook w = repository.insert(caller.accountId(), URI.create(url).toString(), List.copyOf(new LinkedHashSet<>(events)), secret);
        return new Created(w.id(), w.url(), w.events(), w.createdAt(), secret);
    }

    List<Webhook> list(Caller caller) {
        return repository.list(caller.accountId());
    }

    Webhook get(Caller caller, String id) {
        return parse(id).flatMap(u -> repository.find(caller.accountId(), u))
                .orElseThrow(() -> ApiException.notFound("webhook"));
    }

    void delete(Caller caller, String id) {
        if (!parse(id).map(u -> repository.delete(caller.accountId(), u)).orElse(false)) {
            throw ApiException.notFound("webhook");
        }
    }

    List<Delivery> deliveries(Caller caller, String id, int limit) {
        return repository.deliveries(get(caller, id).id(), limit);
    }

    private static java.util.Optional<UUID> parse(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
