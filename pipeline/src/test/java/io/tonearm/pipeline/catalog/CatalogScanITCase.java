package io.tonearm.pipeline.catalog;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.pipeline.Savepoints;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.RegisterFiles;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.CreditPolicy;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog-scan job on a MiniCluster against the real PostgreSQL: an initial scan registers each audio file once
 * with one standard-set request; rescans of unchanged files register nothing; a rewritten file becomes a new
 * recording; a file that only looks audio is skipped with a reason; a file still being copied in is registered
 * only once it stops changing, with its final bytes, also across a savepoint taken meanwhile; a restart from a
 * savepoint and a replay from empty state (the worst a failover can do) create and charge nothing twice. Assets live
 * as long as the account's plan says; each request is paid like the API's; a file the balance does not cover waits,
 * registered once credits exist. What is registered is probed in the registration's transaction: a WAV is {@code ready}
 * with its duration, rate and channels; bytes that start like audio but do not decode make a {@code failed} asset with
 * the decoder's reason and no request.
 */
class CatalogScanITCase {

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    private static final String STANDARD_SET_CHARGE = "registration:" + String.join(",", StandardAnalyzers.STANDARD_SET);

    /**
     * The scan interval; a slow copy appends every 20 ms, so two listings never see it unchanged until it ends, unless
     * the copier stalls for a whole interval: at 300 ms a loaded machine (load average 8-22) did that twice.
     */
    private static final Duration SCAN = Duration.ofSeconds(1);

    @TempDir
    static Path catalog;
    @TempDir
    static Path blobs;
    @TempDir
    static Path savepoints;
    @TempDir
    static Path basicCatalog;
    @TempDir
    static Path probedCatalog;
    static PipelineFixture f;
    static UUID account;
    static CatalogScanRunner runner;

    @BeforeAll
    static void start() throws Exception {
        f = new PipelineFixture(catalog);
        account = f.account();
        runner = new CatalogScanRunner(f.pg, blobs, SCAN, "catalog-scan-" + f.suffix);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @BeforeEach
    void forgetOutcomesOfOtherTests() {
        CollectingOutcomes.OUTCOMES.clear(); // each test cancels its jobs before it ends
    }

    @Test
    void registersEachFileOnceAndAChangedFileAsANewRecording() throws Exception {
        f.sine("a", 220, 1.0, 0.5);
        f.sine("b", 330, 1.0, 0.5);
        Files.createDirectories(catalog.resolve("album.vol.1"));
        Files.move(f.sine("c", 440, 1.0, 0.5), catalog.resolve("album.vol.1/c.wav"));
        Files.writeString(catalog.resolve("notes.txt"), "not listed: no audio extension");
        Files.writeString(catalog.resolve("fake.wav"), "a text file with an audio name");
        Files.writeString(catalog.resolve(".hidden.wav"), "hidden files are not listed");

        JobClient job = run(null);
        await("three assets", Duration.ofSeconds(60), () -> assets() == 3);
        await("the fake skipped", Duration.ofSeconds(10), () -> CollectingOutcomes.count("skipped") == 1);
        assertThat(CollectingOutcomes.OUTCOMES).filteredOn(o -> o.status().equals("skipped")).singleElement()
                .satisfies(o -> assertThat(o.source()).endsWith("fake.wav"))
                .satisfies(o -> assertThat(o.reason()).startsWith("not_audio"));
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ? AND kind = 'analysis' AND status = 'queued'", account)).isEqualTo(3);
        assertThat(events("tonearm.requests.v1")).isEqualTo(3);
        assertThat(f.scalar("SELECT payload::text FROM outbox WHERE topic = 'tonearm.requests.v1' LIMIT 1"))
                .contains(StandardAnalyzers.STANDARD_SET.stream().map(n -> "\"name\": \"" + n + "\"").toArray(String[]::new));
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND method = 'file' AND filename = 'c.wav'", account))
                .as("found inside a folder with dots in its name").isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND expires_at - created_at = interval '7 days'", account))
                .as("a pro account's assets live 7 days").isEqualTo(3);
        assertThat(f.count("SELECT count(*) FROM credit_ledger l JOIN jobs j ON j.id::text = l.charge_key "
                + "WHERE l.kind = 'charge' AND l.account_id = ? AND l.endpoint = ? AND l.amount = -14", account, STANDARD_SET_CHARGE))
                .as("each request paid under its job's id, what bpm, beatgrid, key, lufs and chords cost through the API").isEqualTo(3);

        // Rewritten with other audio (new size too), and one file only touched: its bytes are the same.
        // Written outside the watched folder and moved in: the running scan must never see a half-written file.
        Files.move(f.sine(blobs, "a-new", 660, 1.5, 0.5), catalog.resolve("a.wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(catalog.resolve("b.wav"), FileTime.from(Instant.now().plusSeconds(5)));
        await("the rewritten file registered", Duration.ofSeconds(30), () -> assets() == 4);
        await("the touched file seen", Duration.ofSeconds(30), () -> CollectingOutcomes.count("known") == 1);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).as("one new request").isEqualTo(4);
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND filename = 'a.wav'", account)).isEqualTo(2);
        assertThat(CollectingOutcomes.count("registered"))
                .as("the scans that found the changes listed the unchanged files too, and did not emit them").isEqualTo(4);

        // A file copied in slowly is not registered while it grows, across many scans.
        Path growing = catalog.resolve("growing.wav");
        String savepoint;
        try (SlowCopy copy = new SlowCopy(f.sine(blobs, "growing-source", 770, 60.0, 0.5), growing)) {
            await("the copy under way for several scans", Duration.ofSeconds(30), () -> copy.chunks() >= 5 * SCAN.toMillis() / SlowCopy.PAUSE_MILLIS);
            assertThat(CollectingOutcomes.OUTCOMES).as("nothing registered while it grows")
                    .extracting(Registered::source).noneMatch(s -> s.endsWith("growing.wav"));

            // Stop with a savepoint while the copy still runs (the file pending), finish the copy, add a file, resume:
            // only the new file and the finished copy are emitted, the copy once with its final bytes.
            savepoint = Savepoints.stopWithSavepoint(job, savepoints);
            copy.finish();
        }
        int before = CollectingOutcomes.OUTCOMES.size();
        f.sine("d", 550, 1.0, 0.5);
        JobClient resumed = run(savepoint);
        await("the new and the copied file registered", Duration.ofSeconds(60), () -> assets() == 6);
        assertThat(CollectingOutcomes.OUTCOMES.subList(before, CollectingOutcomes.OUTCOMES.size()))
                .extracting(Registered::source).hasSize(2).anySatisfy(s -> assertThat(s).endsWith("d.wav"))
                .anySatisfy(s -> assertThat(s).endsWith("growing.wav"));
        assertThat(f.scalar("SELECT sha256 FROM assets WHERE account_id = ? AND filename = 'growing.wav'", account))
                .as("one asset, of the whole file").isEqualTo(AnalysisRunner.sha256(growing));
        resumed.cancel().get(30, TimeUnit.SECONDS);

        // A replay from nothing (every file emitted again) is what a failover does at worst: nothing new.
        int replayFrom = CollectingOutcomes.OUTCOMES.size();
        JobClient replay = run(null);
        await("every file seen again", Duration.ofSeconds(60), () -> CollectingOutcomes.OUTCOMES.size() - replayFrom == 6);
        replay.cancel().get(30, TimeUnit.SECONDS);
        assertThat(CollectingOutcomes.OUTCOMES.subList(replayFrom, CollectingOutcomes.OUTCOMES.size()))
                .extracting(Registered::status).containsOnly("known", "skipped");
        assertThat(assets()).isEqualTo(6);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).isEqualTo(6);
        assertThat(events("tonearm.assets.v1")).isEqualTo(6);
        assertThat(events("tonearm.requests.v1")).isEqualTo(6);
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", account))
                .as("charged once per request, across the restart and the replay").isEqualTo(6);
        assertThat(f.count("SELECT credits FROM accounts WHERE id = ?", account)).isEqualTo(20_000 - 6 * 14);
    }

    @Test
    void aBasicAccountsFilesLiveADayAndWaitForCreditsWhenItsBalanceRunsOut() throws Exception {
        UUID basic = f.account("basic");
        f.sine(basicCatalog, "one", 220, 1.0, 0.5);
        f.sine(basicCatalog, "two", 330, 1.0, 0.5);
        // A month's allowance of 14 credits: one standard-set request.
        UnaryOperator<CatalogScanJob.Builder> oneRequestAMonth = b -> b
                .credits(CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 14)).creditRetry(SCAN);
        JobClient job = runner.start(basicCatalog, basic, null, oneRequestAMonth);
        await("one file registered, the other refused", Duration.ofSeconds(60),
                () -> CollectingOutcomes.count("registered") == 1 && CollectingOutcomes.count("refused") == 1);
        Registered refused = CollectingOutcomes.OUTCOMES.stream().filter(o -> o.status().equals("refused")).findFirst().orElseThrow();
        assertThat(refused.reason()).startsWith("insufficient_credits: " + STANDARD_SET_CHARGE + " costs 14 credits; the balance is 0");
        assertThat(refusals(job)).isEqualTo(1);
        assertThat(assets(basic)).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM assets WHERE sha256 = ?", refused.sha256())).as("nothing half-registered").isZero();
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND expires_at - created_at = interval '24 hours'", basic))
                .as("a basic account's assets live 24 h").isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", basic)).isEqualTo(1);
        assertThat(f.count("SELECT credits FROM accounts WHERE id = ?", basic)).isZero();
        assertThat(f.count("SELECT count(*) FROM blobs WHERE sha256 = ?", refused.sha256()))
                .as("the refused file's bytes are left to the blob collector").isEqualTo(1);

        // The scan never lists the unchanged file again, but it waits for credits and goes through once they exist.
        f.topUp(basic, 14);
        await("the waiting file registered", Duration.ofSeconds(30), () -> assets(basic) == 2);
        await("its outcome", Duration.ofSeconds(10), () -> CollectingOutcomes.count("registered") == 2);
        assertThat(CollectingOutcomes.OUTCOMES).filteredOn(o -> o.status().equals("registered"))
                .extracting(Registered::sha256).contains(refused.sha256());
        assertThat(refusals(job)).as("the retries before the top-up read nothing and refused nothing").isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", basic)).isEqualTo(2);
        assertThat(f.count("SELECT credits FROM accounts WHERE id = ?", basic)).isZero();
        job.cancel().get(30, TimeUnit.SECONDS);

        // A replay from nothing with a balance of 0: both known, nothing refused, nothing charged again.
        CollectingOutcomes.OUTCOMES.clear();
        JobClient replay = runner.start(basicCatalog, basic, null, oneRequestAMonth);
        await("both files seen again", Duration.ofSeconds(60), () -> CollectingOutcomes.OUTCOMES.size() == 2);
        replay.cancel().get(30, TimeUnit.SECONDS);
        assertThat(CollectingOutcomes.OUTCOMES).extracting(Registered::status).containsOnly("known");
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", basic)).isEqualTo(2);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", basic)).isEqualTo(2);
    }

    @Test
    void eachRegisteredFileIsProbedAndAnUndecodableOneIsRegisteredFailedWithoutARequest() throws Exception {
        UUID owner = f.account();
        f.sine(probedCatalog, "tone", 440, 1.5, 0.5); // 22.05 kHz mono
        Path broken = f.undecodableMp3(probedCatalog, "broken");
        f.sine(probedCatalog, "next", 550, 1.0, 0.5);

        JobClient job = runner.start(probedCatalog, owner, null);
        AtomicBoolean sawProcessing = new AtomicBoolean();
        await("three outcomes", Duration.ofSeconds(60), () -> {
            sawProcessing.compareAndSet(false, f.count("SELECT count(*) FROM assets WHERE account_id = ? AND status = 'processing'", owner) > 0);
            return CollectingOutcomes.OUTCOMES.size() == 3;
        });
        job.cancel().get(30, TimeUnit.SECONDS);

        assertThat(sawProcessing).as("no asset is ever seen processing: the probe is written with the registration").isFalse();
        assertThat(f.scalar("SELECT concat_ws(' ', status, round(duration_seconds::numeric, 3), container, codec, sample_rate, "
                + "channels) FROM assets WHERE account_id = ? AND filename = 'tone.wav'", owner))
                .isEqualTo("ready 1.500 wav pcm_s16le 22050 1");
        Registered undecodable = CollectingOutcomes.OUTCOMES.stream().filter(o -> o.source().endsWith("broken.mp3"))
                .findFirst().orElseThrow();
        assertThat(undecodable.status()).isEqualTo("undecodable");
        assertThat(undecodable.sha256()).isEqualTo(AnalysisRunner.sha256(broken));
        assertThat(undecodable.jobId()).isNull();
        assertThat(undecodable.reason()).startsWith("undecodable_audio.");
        assertThat(f.scalar("SELECT status || ' ' || error_code || ': ' || error_message FROM assets WHERE id = ?::uuid",
                undecodable.assetId())).as("failed with the decoder's reason, as an undecodable upload")
                .isEqualTo("failed " + undecodable.reason());
        assertThat(CollectingOutcomes.OUTCOMES).filteredOn(o -> !o.source().endsWith("broken.mp3"))
                .extracting(Registered::status).as("the scan went on with the other files").containsOnly("registered");
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", owner)).as("no request for the undecodable file").isEqualTo(2);
        assertThat(f.count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'charge'", owner))
                .as("nor a charge").isEqualTo(2);
    }

    private static long refusals(JobClient job) {
        return METRICS.findMetrics(job.getJobID(), RegisterFiles.REFUSED_METRIC).values().stream()
                .mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    /** Copies a file in small chunks with a pause between them, as a slow network copy would, until told to finish. */
    private static final class SlowCopy implements AutoCloseable {
        static final long PAUSE_MILLIS = 20;
        private final Thread thread;
        private final AtomicInteger chunks = new AtomicInteger();
        private final CountDownLatch finish = new CountDownLatch(1);
        private volatile Exception failure;

        SlowCopy(Path from, Path to) {
            thread = new Thread(() -> {
                try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
                    byte[] chunk = new byte[2048];
                    for (int n; (n = in.read(chunk)) > 0; chunks.incrementAndGet()) {
                        out.write(chunk, 0, n);
                        out.flush();
                        if (finish.getCount() > 0) finish.await(PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "slow-copy");
            thread.start();
        }

        int chunks() {
            return chunks.get();
        }

        /** The rest at once; returns when the file is complete. */
        void finish() throws Exception {
            finish.countDown();
            thread.join();
            if (failure != null) throw failure;
        }

        @Override
        public void close() throws Exception {
            finish();
        }
    }

    private static long assets() {
        return assets(account);
    }

    /** Outbox events of this test's account on {@code topic}. */
    private static long events(String topic) {
        return f.count("SELECT count(*) FROM outbox WHERE topic = ? AND payload ->> 'account_id' = ?", topic, account.toString());
    }

    private static long assets(UUID owner) {
        return f.count("SELECT count(*) FROM assets WHERE account_id = ?", owner);
    }

    private static JobClient run(String savepoint) throws Exception {
        return runner.start(catalog, account, savepoint);
    }
}
