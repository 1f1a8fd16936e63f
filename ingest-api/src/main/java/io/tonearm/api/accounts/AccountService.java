package io.tonearm.api.accounts;

import io.tonearm.sinks.accounts.Plan;
import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.postgres.Database;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Accounts and their API keys: creation (the plain key is returned once) and Bearer authentication. */
public final class AccountService {

    /** A new account and the only copy of its plain API key. */
    public record CreatedAccount(Account account, String plainKey) {
    }

    private final AccountRepository repository;
    private final Database db;

    public AccountService(Database db) {
        this.db = db;
        this.repository = new AccountRepository(db);
    }

    public CreatedAccount createAccount(String name, Plan plan) {
        Objects.requireNonNull(plan, "plan");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a name");
        }
        ApiKeys.NewKey key = ApiKeys.generate();
        Account account = db.inTransaction(c -> {
            Account a = repository.insert(c, name.strip(), plan);
            repository.insertKey(c, a.id(), key, "default");
            return a;
        });
        return new CreatedAccount(account, key.plain());
    }

    /**
     * A new key for the oldest account named {@code name}, creating that account on {@code plan} when there is
     * none ({@code tonearm keys create}). The returned account is the existing one when it existed.
     */
    public CreatedAccount createKeyFor(String name, Plan plan) {
        Objects.requireNonNull(plan, "plan");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a name");
        }
        ApiKeys.NewKey key = ApiKeys.generate();
        Account account = db.inTransaction(c -> {
            Account a = repository.findByName(c, name.strip()).orElse(null);
            if (a == null) {
                a = repository.insert(c, name.strip(), plan);
            }
            repository.insertKey(c, a.id(), key, "cli");
            return a;
        });
        return new CreatedAccount(account, key.plain());
    }

    /**
     * The oldest account named {@code name}, created on {@code plan} (without a key) when there is none: the owner
     * of what {@code tonearm up --watch} registers.
     */
    public Account ensureAccount(String name, Plan plan) {
        Objects.requireNonNull(plan, "plan");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a name");
        }
        return db.inTransaction(c -> {
            Account a = repository.findByName(c, name.strip()).orElse(null);
            return a != null ? a : repository.insert(c, name.strip(), plan);
        });
    }

    /**
     * The oldest account named {@code name} (names are not unique): the account {@code tonearm keys create} and
     * {@code tonearm up --account} mean by that name. Empty when there is none.
     */
    public Optional<Account> named(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return db.inTransaction(c -> repository.findByName(c, name.strip()));
    }

    /** Adds another key to an account; returns the plain key (shown once). */
    public String createKey(UUID accountId, String label) {
        ApiKeys.NewKey key = ApiKeys.generate();
        db.inTransaction(c -> {
            repository.insertKey(c, accountId, key, label);
            return null;
        });
        return key.plain();
    }

    /** Revokes a key; later requests with it get 403. */
    public void revokeKey(String plainKey) {
        ApiKeys.prefixOf(plainKey).ifPresent(repository::revokeKey);
    }

    /**
     * Checks an {@code Authorization} header value.
     *
     * @throws ApiException 401 when missing, malformed or unknown; 403 when the key is revoked or the account
     *                      suspended
     */
    public Caller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw unauthorized("missing Authorization: Bearer <api key>");
        }
        String[] parts = authorizationHeader.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw unauthorized("the Authorization header must be 'Bearer <api key>'");
        }
        String key = parts[1];
        AccountRepository.KeyRecord record = ApiKeys.prefixOf(key)
                .flatMap(repository::findKey)
                .filter(r -> ApiKeys.matches(key, r.hash()))
                .orElseThrow(() -> unauthorized("invalid API key"));
        if (record.revoked()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "key_revoked", "this API key has been revoked");
        }
        if (record.suspended()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "account_suspended", "this account is suspended");
        }
        return new Caller(record.accountId(), record.keyId(), record.plan());
    }

    public Account account(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("account"));
    }

    AccountRepository.Usage usage(UUID accountId) {
        return repository.usage(accountId);
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message,
                java.util.Map.of("WWW-Authenticate", "Bearer"));
    }
}
