package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.analysis.decode.AudioFileTypes;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.events.AssetMetadata;
import io.tonearm.events.EventCodec;
import io.tonearm.events.IngestCommand;
import io.tonearm.events.IngestOutcome;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.pipeline.catalog.register.Registrations;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.credits.OutOfCreditsException;
import io.tonearm.sinks.fetch.AllowList;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.fetch.UrlImportException;
import io.tonearm.sinks.fetch.UrlPolicy;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Carries out one ingest command and says what became of it. In order: parse and check the command (else
 * {@code malformed}, nothing tried); the account must exist and not be suspended; a key already used by the account
 * answers {@code duplicate} with the first command's asset and job without reading a byte; then the bytes are read
 * (file URI or SSRF-safe URL fetch), hashed into the blob store and registered with a standard-set request through
 * the same {@link Registrations} the catalog scan uses, in one transaction that also pays the request (an account
 * whose balance does not cover it: {@code failed} with {@code insufficient_credits}, checked before reading). Bytes
 * the probe cannot decode are registered as a {@code failed} asset with no request and no charge, and answered
 * {@code failed} with the decoder's {@code undecodable_audio.*} code and that asset.
 *
 * <p>Everything a command can get wrong is an outcome, never an exception, so a bad command cannot put the job into
 * a restart loop. A database outage does throw: the task restarts from the checkpoint and the replay is idempotent
 * (the request's idempotency key is {@code tonearm-ingest:<key>}; asset ids are derived from account and bytes). A
 * command whose registration committed just before a failover, but whose outcome was not yet checkpointed, is
 * reported {@code duplicate} on the replay, with the same asset and job.
 */
public final class ExecuteCommands extends RichMapFunction<CommandRecord, OutcomeRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ExecuteCommands.class);
    private static final int MAX_MESSAGE_CHARS = 500;

    private final PostgresConnection pg;
    private final String blobStore;
    private final ArrayList<String> analyzers;
    private final Duration retentionOverride;
    private final long maxBytes;
    private final ArrayList<String> urlAllowList;
    private final CreditPolicy creditPolicy;
    private transient Database db;
    private transient Registrations registrations;
    private transient IngestLookups lookups;
    private transient CommandSources sources;

    /**
     * @param retentionOverride how long the assets live regardless of their account's plan; null: the plan decides
     * @param urlAllowList      operator exceptions to the public-hosts rule ({@link AllowList} entries), usually empty
     * @param creditPolicy      the monthly allowance per plan (the API's)
     */
    public ExecuteCommands(PostgresConnection pg, String blobStore, List<String> analyzers, Duration retentionOverride,
                           long maxBytes, List<String> urlAllowList, CreditPolicy creditPolicy) {
        this.pg = pg;
        this.blobStore = blobStore;
        this.analyzers = new ArrayList<>(analyzers);
        this.retentionOverride = retentionOverride;
        this.maxBytes = maxBytes;
        this.urlAllowList = new ArrayList<>(urlAllowList);
        this.creditPolicy = creditPolicy;
    }

    @Override
    public void open(OpenContext context) throws IOException {
        db = Database.open(pg.jdbcUrl(), pg.user(), pg.password(), 2);
        registrations = new Registrations(db, BlobStores.open(blobStore), Decoders.standard(),
                AssetRegistrar.current(analyzers), retentionOverride, maxBytes, new CreditLedger(db, creditPolicy));
        lookups = new IngestLookups(db);
        UrlPolicy policy = UrlPolicy.builder().allowList(AllowList.of(urlAllowList)).build();
        sources = new CommandSources(SafeUrlFetcher.builder(policy).maxBytes(maxBytes).build());
    }

    @Override
    public OutcomeRecord map(CommandRecord record) {
        IngestOutcome outcome = execute(record);
        LOG.info("ingest command {}-{}@{}: {}{}", record.topic(), record.partition(), record.offset(), outcome.status(),
                outcome.error() == null ? "" : " (" + outcome.error().code() + ": " + outcome.error().message() + ")");
        return OutcomeRecord.of(outcome);
    }

    IngestOutcome execute(CommandRecord record) {
        IngestCommand c;
        try {
            c = EventCodec.decodeIngestCommand(record.value());
        } catch (RuntimeException e) {
            return IngestOutcome.malformed(null, null, shorten(e.getMessage()), record.position());
        }
        String problem = c.problem();
        if (problem != null) {
            return IngestOutcome.malformed(blankToNull(c.idempotencyKey()), blankToNull(c.accountId()), problem, record.position());
        }
        UUID account = UUID.fromString(c.accountId());
        switch (lookups.account(account)) {
            case UNKNOWN -> {
                return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), "unknown_account", "no account " + account);
            }
            case SUSPENDED -> {
                return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), "account_suspended", "account " + account + " is suspended");
            }
            case ACTIVE -> { }
        }
        Optional<IngestOutcome> duplicate = duplicate(c, account);
        if (duplicate.isPresent()) {
            return duplicate.get();
        }
        if (!registrations.canPay(account)) { // before any byte is read; the charge in the transaction decides
            return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), OutOfCreditsException.CODE,
                    "the analysis request costs " + registrations.cost() + " credits; the balance does not cover it");
        }
        Registered r;
        try {
            r = register(c, account);
        } catch (UrlImportException e) {
            return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), e.code(), shorten(e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), "unreadable", shorten(c.source() + ": " + e.getMessage()));
        }
        if (r.status().equals("skipped") || r.status().equals("refused") || r.status().equals("failed")) { // "code: message"
            return IngestOutcome.failed(c.idempotencyKey(), c.accountId(), r.reasonCode(), r.reasonMessage());
        }
        if (r.status().equals("undecodable")) { // the asset exists, failed as an undecodable upload is; nothing requested
            return IngestOutcome.undecodable(c.idempotencyKey(), c.accountId(), r.assetId(), r.sha256(),
                    r.reasonCode(), shorten(r.reasonMessage()));
        }
        if (r.jobId() == null) { // another command with this key registered in between
            return duplicate(c, account).orElseThrow();
        }
        return IngestOutcome.done(IngestOutcome.REGISTERED, c.idempotencyKey(), c.accountId(), r.assetId(), r.sha256(), r.jobId());
    }

    private Optional<IngestOutcome> duplicate(IngestCommand c, UUID account) {
        return lookups.priorJob(account, c.idempotencyKey()).map(p -> IngestOutcome.done(IngestOutcome.DUPLICATE,
                c.idempotencyKey(), c.accountId(), p.assetId() == null ? null : p.assetId().toString(), p.sha256(),
                p.jobId().toString()));
    }

    private Registered register(IngestCommand c, UUID account) throws IOException {
        try {
            return attempt(c, account);
        } catch (IOException first) {
            return attempt(c, account); // e.g. the blob collector freed the bytes during registration
        }
    }

    private Registered attempt(IngestCommand c, UUID account) throws IOException {
        try (CommandSources.Opened in = sources.open(c)) {
            String filename = c.filename() != null ? c.filename().strip() : in.filename();
            String type = Optional.ofNullable(filename).flatMap(AudioFileTypes::contentType)
                    .or(() -> Optional.ofNullable(in.contentType()).filter(t -> t.startsWith("audio/") || t.startsWith("video/")))
                    .orElse("application/octet-stream");
            return registrations.register(account, c.source(), in.stream(), filename, type, c.isUrl() ? "url" : "file",
                    IngestLookups.jobKey(c.idempotencyKey()), AssetMetadata.normalised(c.metadata()));
        }
    }

    private static String shorten(String s) {
        if (s == null) return "unknown error";
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
