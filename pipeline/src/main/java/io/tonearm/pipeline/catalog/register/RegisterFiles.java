package io.tonearm.pipeline.catalog.register;

import io.tonearm.analysis.decode.AudioFileTypes;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.pipeline.catalog.scan.ScannedFile;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Registers each scanned file (keyed by its URI) as an asset of one account with a request for the standard set. A
 * file that vanished or cannot be read is reported as failed (the next change to it is scanned again), never a job
 * failure; a database that is down fails the task, and the restart replays from the checkpoint (registration is
 * idempotent).
 *
 * <p><b>Out of credits.</b> A file whose request the account's balance does not cover is reported {@code refused}
 * ({@code insufficient_credits}), counted in the metric {@value #REFUSED_METRIC}, and kept in keyed state with a
 * timer: every {@code creditRetry} the balance is checked (no bytes read) and, once it covers the request (a new
 * month's allowance, a top-up), the file is registered. The scan itself never lists an unchanged file again, so this
 * state is what keeps the file from being forgotten; it is checkpointed like the scan's memory, and a newer version
 * of the file replaces it.
 */
public final class RegisterFiles extends KeyedProcessFunction<String, ScannedFile, Registered> {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterFiles.class);
    /** Files refused for want of credits (each refusal, retries included). */
    public static final String REFUSED_METRIC = "registrationsRefusedForCredits";

    private final PostgresConnection pg;
    private final String blobStore;
    private final UUID account;
    private final ArrayList<String> analyzers;
    private final Duration retentionOverride;
    private final long maxBytes;
    private final CreditPolicy creditPolicy;
    private final Duration creditRetry;
    private transient Database db;
    private transient Registrations registrations;
    private transient ValueState<ScannedFile> waiting;
    private transient ValueState<Long> retryAt;
    private transient Counter refused;

    /** @param retentionOverride how long the assets live regardless of the account's plan; null: the plan decides */
    public RegisterFiles(PostgresConnection pg, String blobStore, UUID account, List<String> analyzers,
                         Duration retentionOverride, long maxBytes, CreditPolicy creditPolicy, Duration creditRetry) {
        this.pg = pg;
        this.blobStore = blobStore;
        this.account = account;
        this.analyzers = new ArrayList<>(analyzers);
        this.retentionOverride = retentionOverride;
        this.maxBytes = maxBytes;
        this.creditPolicy = creditPolicy;
        this.creditRetry = creditRetry;
    }

    @Override
    public void open(OpenContext context) throws IOException {
        db = Database.open(pg.jdbcUrl(), pg.user(), pg.password(), 2);
        registrations = new Registrations(db, BlobStores.open(blobStore), Decoders.standard(),
                AssetRegistrar.current(analyzers), retentionOverride, maxBytes, new CreditLedger(db, creditPolicy));
        waiting = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-for-credits", TypeInformation.of(ScannedFile.class)));
        retryAt = getRuntimeContext().getState(new ValueStateDescriptor<>("credit-retry-at", Types.LONG));
        refused = getRuntimeContext().getMetricGroup().counter(REFUSED_METRIC);
    }

    @Override
    public void processElement(ScannedFile file, Context ctx, Collector<Registered> out) throws IOException {
        waiting.clear(); // a newer version of a file that waited for credits: this one counts
        retryAt.clear();
        out.collect(registerOrWait(file, ctx));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Registered> out) throws IOException {
        ScannedFile file = waiting.value();
        Long due = retryAt.value();
        if (file == null || due == null || due != timestamp) {
            return; // the file was registered since, or a newer version waits with a timer of its own
        }
        if (!registrations.canPay(account)) {
            schedule(ctx);
            return;
        }
        waiting.clear();
        retryAt.clear();
        out.collect(registerOrWait(file, ctx));
    }

    private Registered registerOrWait(ScannedFile file, Context ctx) throws IOException {
        Registered r = register(file);
        if (r.status().equals("refused")) {
            refused.inc();
            waiting.update(file);
            schedule(ctx);
            LOG.info("catalog scan: refused {} ({}); retried when the balance covers {} credits, checked every {} s",
                    file.uri(), r.reason(), registrations.cost(), creditRetry.toSeconds());
        } else {
            LOG.info("catalog scan: {} {}{}", r.status(), file.uri(), r.reason() == null ? "" : " (" + r.reason() + ")");
        }
        return r;
    }

    private void schedule(Context ctx) throws IOException {
        long due = ctx.timerService().currentProcessingTime() + creditRetry.toMillis();
        retryAt.update(due);
        ctx.timerService().registerProcessingTimeTimer(due);
    }

    private Registered register(ScannedFile file) {
        String type = AudioFileTypes.contentType(file.filename()).orElse("application/octet-stream");
        try {
            return attempt(file, type);
        } catch (IOException first) {
            try {
                return attempt(file, type); // e.g. the blob collector freed the bytes during registration
            } catch (IOException e) {
                return Registered.failed(file.uri(), "unreadable: " + e.getMessage());
            }
        }
    }

    private Registered attempt(ScannedFile file, String type) throws IOException {
        Path path = new Path(file.uri());
        try (FSDataInputStream in = path.getFileSystem().open(path)) {
            return registrations.register(account, file.uri(), in, file.filename(), type, "file", null);
        }
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
